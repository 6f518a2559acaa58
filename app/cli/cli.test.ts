import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { cliJson } from '../control/contract.ts';
import { tempDir } from '../sessions/hostTestKit.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const node = path.join(repo, 'node_modules', '.bin', 'node');
const main = path.join(repo, 'app', 'cli', 'main.ts');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the real CLI with Node 24 on a temp data dir, with the scripted fixture registered, in English. */
function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(node, [main, '--data-dir', dataDir, ...args], { env: { ...process.env, SYNCCENTER_FIXTURES: 'scripted', SYNCCENTER_LANG: 'en' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

function fresh(): string {
  const dir = tempDir('synccenter-cli-');
  dirs.push(dir);
  return dir;
}

test('exit codes: 0 clean, 3 open conflicts, 1 a failed item, 2 usage or bad input', async () => {
  const dir = fresh();
  expect((await cli(dir, ['sync', '--item', 'alpha'])).code).toBe(0);
  expect((await cli(dir, ['sync', '--all'])).code).toBe(3);
  const added = await cli(dir, ['add', 'scripted', 'broken', 'outcome=fail', '--name', 'Broken']);
  expect(added).toMatchObject({ code: 0, stdout: 'broken\n' });
  const failed = await cli(dir, ['sync', '--handler', 'scripted']);
  expect(failed.code).toBe(1);
  expect(failed.stdout).toMatch(/scripted\/broken {2}failed/);
  expect(failed.stdout).toContain('    error: Scripted failure: broken failed as scripted');
  expect((await cli(dir, ['frobnicate'])).code).toBe(2);
  expect((await cli(dir, ['sync', '--item', 'nope'])).code).toBe(2);
  expect((await cli(dir, ['resolve', 'x', '--keep', 'sideways'])).code).toBe(2);
});

test('--json prints the documented documents, conflicts resolve, items enable and go', async () => {
  const dir = fresh();
  const sync = await cli(dir, ['--json', 'sync']);
  expect(sync.code).toBe(3);
  expect(cliJson.sync.parse(JSON.parse(sync.stdout))).toMatchObject({ status: 'succeeded', conflicts: 1 });
  const list = cliJson.list.parse(JSON.parse((await cli(dir, ['--json', 'list'])).stdout));
  expect(list.find((handler) => handler.id === 'scripted')?.items.map((item) => [item.id, item.state])).toEqual([['alpha', 'succeeded'], ['beta', 'conflict']]);
  const conflicts = cliJson.conflicts.parse(JSON.parse((await cli(dir, ['--json', 'conflicts'])).stdout));
  const resolved = await cli(dir, ['--json', 'resolve', conflicts[0]!.id, '--keep', 'left']);
  expect(cliJson.resolve.parse(JSON.parse(resolved.stdout)).resolved).toEqual([conflicts[0]!.id]);
  expect(cliJson.events.parse(JSON.parse((await cli(dir, ['--json', 'events', '--level', 'error'])).stdout))).toEqual([]);
  expect(cliJson.disable.parse(JSON.parse((await cli(dir, ['--json', 'disable', 'beta'])).stdout))).toEqual({ ok: true });
  expect((await cli(dir, ['sync'])).code).toBe(0);
  expect((await cli(dir, ['remove', 'scripted/alpha'])).code).toBe(0);
  const missing = await cli(dir, ['--json', 'remove', 'alpha']);
  expect(missing.code).toBe(2);
  expect(cliJson.error.parse(JSON.parse(missing.stdout)).error.code).toBe('NOT_FOUND');
});

/** A fresh data dir and a folder pair laptop ↔ usb added with `options`, `a.txt` on the laptop. */
async function folderPair(...options: string[]): Promise<{ dir: string; left: string; right: string; itemId: string }> {
  const dir = fresh();
  const left = path.join(dir, 'laptop');
  const right = path.join(dir, 'usb');
  mkdirSync(left);
  mkdirSync(right);
  writeFileSync(path.join(left, 'a.txt'), 'a');
  const itemId = (await cli(dir, ['add', 'folders', left, right, ...options])).stdout.trim();
  return { dir, left, right, itemId };
}

test('conflicts: a safety stop lists its choices as the commands that make them, and the one printed works', async () => {
  const { dir, left, right, itemId } = await folderPair();
  for (const name of ['b', 'c', 'd', 'e', 'f', 'g']) writeFileSync(path.join(left, `${name}.txt`), name);
  expect((await cli(dir, ['sync', '--item', itemId])).code).toBe(0);
  for (const name of ['a', 'b', 'c', 'd', 'e']) rmSync(path.join(left, `${name}.txt`));
  expect((await cli(dir, ['sync', '--item', itemId])).code).toBe(1);
  const listed = (await cli(dir, ['conflicts'])).stdout.split('\n');
  const [id] = (listed[0] ?? '').split('  ');
  expect(listed.slice(2)).toEqual([
    `  left: First: ${left} (folder) — 5 of 7 files deleted here`,
    `  right: Second: ${right} (folder) — All files still in ${right}`,
    `  to bring the files back into ${left}: synccenter resolve ${id} --keep right`,
    `  to delete them in ${right} too (into its trash): synccenter resolve ${id} --keep left`,
    '',
  ]);
  const command = (listed[4] ?? '').split(': synccenter ')[1]?.split(' ') ?? [];
  expect((await cli(dir, command)).code).toBe(0);
  for (const name of ['a', 'b', 'c', 'd', 'e']) expect(readFileSync(path.join(left, `${name}.txt`), 'utf8')).toBe(name);
  expect((await cli(dir, ['list'])).stdout).toMatch(new RegExp(`${itemId} .*\\[succeeded\\]`));
});

test('show: a folder pair\'s folders, options and last session, in text and --json', async () => {
  const { dir, left, right, itemId } = await folderPair('--exclude', '*.tmp', '--conflict-policy', 'newerWins');
  const before = await cli(dir, ['show', itemId]);
  expect(before.stdout).toBe(`folders/${itemId}  laptop ↔ usb\n  left  ${left}\n  right  ${right}\n  conflict policy  newerWins\n  excludes  *.tmp\n  open conflicts  0\n  last session  none recorded\n`);
  expect((await cli(dir, ['sync', '--item', itemId])).code).toBe(0);
  const after = await cli(dir, ['show', `folders/${itemId}`]);
  expect(after.stdout).toMatch(/last session {2}succeeded, started [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d\s[AP]M, took \d+\.\d s/);
  expect(after.stdout).toContain('    to right  1 created, 0 updated, 0 moved, 0 deleted, 0 not written, 0 conflicts');
  expect(after.stdout).toContain('    conflicts it left open  0');
  const json = cliJson.show.parse(JSON.parse((await cli(dir, ['--json', 'show', itemId])).stdout));
  expect(json).toMatchObject({ handlerId: 'folders', itemId, browsable: true, lastSession: { outcome: 'succeeded', toRight: { created: 1 } } });
  const missing = await cli(dir, ['show', 'nothing-here']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('No item "nothing-here"');
});

test('conflicts says what happened; show: the conflicts open now, apart from the ones the last session left open (a skipped one); a kept version syncs and is the last session', async () => {
  const { dir, left, right, itemId } = await folderPair();
  const first = await cli(dir, ['sync', '--item', itemId]);
  expect(first).toMatchObject({ code: 0, stdout: expect.stringContaining(`    information: Synced: "${right}" received 1 new, 0 changed, 0 moved, 0 deleted.\n`) });
  // A sync right after, with nothing to do, prints only its own events (none), not the previous sync's.
  expect((await cli(dir, ['sync', '--item', itemId])).stdout).not.toContain('Synced');
  writeFileSync(path.join(left, 'a.txt'), 'left edit');
  writeFileSync(path.join(right, 'a.txt'), 'right edit');
  expect((await cli(dir, ['sync', '--item', itemId])).code).toBe(3);
  const listed = (await cli(dir, ['conflicts'])).stdout.split('\n');
  expect(listed[1]).toBe('  Both versions changed since the last sync.');
  expect(listed[2]).toMatch(/^ {2}left: First: .*laptop modified [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d\s[AP]M 9 bytes$/);
  const open = (await cli(dir, ['show', itemId])).stdout;
  expect(open).toContain('\n  open conflicts  1\n');
  expect(open).toContain('\n    conflicts it left open  1\n');
  // Skipped: off the list until the next sync, which the last session does not know.
  const [conflict] = cliJson.conflicts.parse(JSON.parse((await cli(dir, ['--json', 'conflicts'])).stdout));
  expect((await cli(dir, ['resolve', conflict!.id, '--skip'])).code).toBe(0);
  const skipped = (await cli(dir, ['show', itemId])).stdout;
  expect(skipped).toContain('\n  open conflicts  0\n');
  expect(skipped).toContain('\n    conflicts it left open  1\n');
  // Kept: the resolution syncs the pair, and that sync is the last session now.
  expect((await cli(dir, ['sync', '--item', itemId])).code).toBe(3);
  const [again] = cliJson.conflicts.parse(JSON.parse((await cli(dir, ['--json', 'conflicts'])).stdout));
  expect((await cli(dir, ['resolve', again!.id, '--keep', 'left'])).code).toBe(0);
  const resolved = (await cli(dir, ['show', itemId])).stdout;
  expect(resolved).toContain('\n  open conflicts  0\n');
  expect(resolved).toContain('\n    to right  0 created, 1 updated, 0 moved, 0 deleted, 0 not written, 1 conflict\n');
  expect(resolved).toContain('\n    conflicts it left open  0\n');
  expect(readFileSync(path.join(right, 'a.txt'), 'utf8')).toBe('left edit');
});

test('serve prints the URL first; other CLI calls go through its endpoint', async () => {
  const dir = fresh();
  const server = spawn(node, [main, '--data-dir', dir, 'serve', '--port', '0'], { env: { ...process.env, SYNCCENTER_FIXTURES: 'scripted', SYNCCENTER_LANG: 'en' } });
  try {
    const firstLine = await new Promise<string>((resolve, reject) => {
      let text = '';
      server.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('\n')) resolve(text.split('\n')[0] ?? '');
      });
      server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=.+/);
    const sync = await cli(dir, ['--json', 'sync', '--item', 'alpha']);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ status: 'succeeded' });
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

test('the `synccenter` command on a Node that cannot run TypeScript says so, in the user\'s language, and how to run it', async () => {
  const bin = path.join(repo, 'bin', 'synccenter.mjs');
  const run = (args: string[], lang: string) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(node, args, { env: { ...process.env, SYNCCENTER_LANG: lang } }, (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stderr }));
    });
  // Node 24 with its type stripping turned off stands for an older Node (20 fails the same way on `.ts`).
  const english = await run(['--no-experimental-strip-types', bin, 'list'], 'en');
  expect(english.code).toBe(2);
  expect(english.stderr).toBe(`synccenter: this Node.js (${process.version}) cannot run Sync Center's TypeScript sources: it needs Node.js 24 or later, with its TypeScript support on. Run the command as \`npx synccenter …\` in the project folder: npm then uses the project's own Node.js 24.\n`);
  const french = await run(['--no-experimental-strip-types', bin, 'list'], 'fr_FR.UTF-8');
  expect(french.code).toBe(2);
  expect(french.stderr).toMatch(/^synccenter\u00a0: ce Node\.js \(v[\d.]+\) ne sait pas exécuter les sources TypeScript de Sync Center/);
  // With the project's Node it is the CLI itself.
  const dataDir = fresh();
  const listed = await run([bin, '--data-dir', dataDir, 'list'], 'en');
  expect(listed).toMatchObject({ code: 0, stderr: '' });
});
