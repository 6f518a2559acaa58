import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { flushFileSystemOf, flushFileSystemsOf } from './fileSystemSync.ts';

const made: string[] = [];
afterEach(() => {
  for (const folder of made.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

function folderIn(parent: string): string {
  const folder = fs.mkdtempSync(path.join(parent, 'synccenter-fssync-'));
  made.push(folder);
  return folder;
}

const linux = process.platform === 'linux';
// A second file system: /dev/shm is a tmpfs on Linux, the temporary folder usually is not.
const secondFileSystem = linux && fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(os.tmpdir()).dev;

test.runIf(linux)('flushes every file system holding the paths; folders that vanished, and files in them, are left out', async () => {
  const here = folderIn(os.tmpdir());
  const file = path.join(here, 'a.tmp');
  fs.writeFileSync(file, 'data');
  const folders = [here, path.join(here, 'gone')];
  if (secondFileSystem) folders.push(folderIn('/dev/shm'));
  expect(await flushFileSystemsOf(folders, 'folders')).toEqual([]);
  expect(await flushFileSystemsOf([file, path.join(here, 'gone', 'b.tmp')], 'files')).toEqual([]);
});

test.runIf(linux)('where the file system cannot be flushed at once, it returns each of its paths for an fsync each', async () => {
  const here = folderIn(os.tmpdir());
  const files = ['a.tmp', 'b.tmp'].map((name) => path.join(here, name));
  for (const file of files) fs.writeFileSync(file, 'data');
  const savedPath = process.env.PATH;
  process.env.PATH = here; // no `sync` command to run
  try {
    expect(await flushFileSystemsOf([...files, path.join(here, 'gone', 'c.tmp')], 'files')).toEqual(files);
    expect(await flushFileSystemsOf([here, path.join(here, 'gone')], 'folders')).toEqual([here]);
  } finally {
    process.env.PATH = savedPath;
  }
});

test.runIf(linux)('a flush runs `sync -f` on the file system without blocking, and says false where it cannot', async () => {
  const here = folderIn(os.tmpdir());
  fs.writeFileSync(path.join(here, 'a.tmp'), 'data');
  expect(await flushFileSystemOf(here)).toBe(true);
  const savedPath = process.env.PATH;
  process.env.PATH = here; // no `sync` command to run
  try {
    expect(await flushFileSystemOf(here)).toBe(false);
  } finally {
    process.env.PATH = savedPath;
  }
});

test.runIf(linux)('flushes go through one resident shell, in order, and a name with a line break still flushes', async () => {
  const here = folderIn(os.tmpdir());
  const odd = path.join(here, 'line\nbreak');
  fs.mkdirSync(odd);
  const answers = await Promise.all([...Array.from({ length: 20 }, () => flushFileSystemOf(here)), flushFileSystemOf(odd)]);
  expect(answers).toEqual(Array.from({ length: 21 }, () => true));
  expect(shellsOf(process.pid)).toHaveLength(1);
});

test.runIf(linux)('a resident shell that dies owes false (its callers fsync each file), and the next flush starts a new one', async () => {
  const here = folderIn(os.tmpdir());
  expect(await flushFileSystemOf(here)).toBe(true);
  const [shell] = shellsOf(process.pid);
  expect(shell).toBeDefined();
  const owed = flushFileSystemOf(here);
  process.kill(Number(shell), 'SIGKILL');
  expect([true, false]).toContain(await owed); // answered before the kill, or owed and answered false
  expect(await flushFileSystemOf(here)).toBe(true);
  expect(shellsOf(process.pid)).not.toContain(shell);
});

test.runIf(linux)('the resident shell never keeps a finished process alive', () => {
  const here = folderIn(os.tmpdir());
  const module = new URL('./fileSystemSync.ts', import.meta.url).href;
  const script = `const { flushFileSystemOf } = await import(${JSON.stringify(module)}); console.log(await flushFileSystemOf(${JSON.stringify(here)}));`;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  expect({ status: result.status, out: result.stdout.trim() }).toEqual({ status: 0, out: 'true' });
  expect(Date.now() - started).toBeLessThan(15_000);
});

/** The pids of the live `sh` processes `pid` started (from /proc: `<pid> (<name>) <state> <parent pid> …`). */
function shellsOf(pid: number): string[] {
  return fs.readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    let stat: RegExpMatchArray | null;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').match(/^\d+ \((.*)\) (\S) (\d+)/);
    } catch {
      return false; // ended meanwhile
    }
    return stat?.[1] === 'sh' && stat[2] !== 'Z' && Number(stat[3]) === pid;
  });
}
