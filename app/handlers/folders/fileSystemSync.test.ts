import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { flushFileSystemInBackground, syncFileSystemsOf } from './fileSystemSync.ts';

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

test.runIf(linux)('flushes every file system holding the paths; folders that vanished, and files in them, are left out', () => {
  const here = folderIn(os.tmpdir());
  const file = path.join(here, 'a.tmp');
  fs.writeFileSync(file, 'data');
  const folders = [here, path.join(here, 'gone')];
  if (secondFileSystem) folders.push(folderIn('/dev/shm'));
  expect(syncFileSystemsOf(folders, 'folders')).toEqual([]);
  expect(syncFileSystemsOf([file, path.join(here, 'gone', 'b.tmp')], 'files')).toEqual([]);
});

test.runIf(linux)('where the file system cannot be flushed at once, it returns each of its paths for an fsync each', () => {
  const here = folderIn(os.tmpdir());
  const files = ['a.tmp', 'b.tmp'].map((name) => path.join(here, name));
  for (const file of files) fs.writeFileSync(file, 'data');
  const savedPath = process.env.PATH;
  process.env.PATH = here; // no `sync` command to run
  try {
    expect(syncFileSystemsOf([...files, path.join(here, 'gone', 'c.tmp')], 'files')).toEqual(files);
    expect(syncFileSystemsOf([here, path.join(here, 'gone')], 'folders')).toEqual([here]);
  } finally {
    process.env.PATH = savedPath;
  }
});

test.runIf(linux)('a background flush runs `sync -f` on the file system, and says false where it cannot', async () => {
  const here = folderIn(os.tmpdir());
  fs.writeFileSync(path.join(here, 'a.tmp'), 'data');
  expect(await flushFileSystemInBackground(here)).toBe(true);
  const savedPath = process.env.PATH;
  process.env.PATH = here; // no `sync` command to run
  try {
    expect(await flushFileSystemInBackground(here)).toBe(false);
  } finally {
    process.env.PATH = savedPath;
  }
});
