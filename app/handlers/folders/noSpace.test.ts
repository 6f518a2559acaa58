/**
 * A full destination disk during a pair sync, on a real small file system: a tmpfs mounted for the test (needs
 * root and mount rights; skipped otherwise).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncFolderPair } from './syncFolderPair.ts';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import { scanTree } from './treeScanner.ts';

const mounted: string[] = [];

/** A fresh tmpfs of `size` (mount's syntax, e.g. "2m") at a new temporary folder, or undefined when impossible. */
function smallFileSystem(size: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const directory = makeTempDir('tmpfs');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', directory]).status !== 0) return undefined;
  mounted.push(directory);
  return directory;
}

const probe = smallFileSystem('1m');

afterAll(() => {
  for (const directory of mounted.splice(0)) spawnSync('umount', [directory]);
  removeTempDirs();
});

describe.skipIf(probe === undefined)('a full destination disk (tmpfs)', () => {
  it('skips the file that does not fit with a NO_SPACE warning, syncs the rest, and copies it once there is room', async () => {
    const left = makeTempDir('left');
    const right = smallFileSystem('2m') ?? '';
    writeFiles(left, { 'a.txt': 'a', 'docs/b.txt': 'b', 'huge.bin': Buffer.alloc(3 * 1024 * 1024, 1) });
    const first = await syncFolderPair(left, right);
    expect(first.status).toBe('succeeded');
    expect(first.events).toEqual([{ level: 'warning', code: 'NO_SPACE', path: 'huge.bin', message: expect.stringMatching(/No space left to write "huge\.bin"/), text: { key: 'event.notWritten', values: { root: expect.any(String), reason: { key: 'folderError.NO_SPACE', values: { path: 'huge.bin' } } } } }]);
    expect([readText(right, 'a.txt'), readText(right, 'docs/b.txt'), readText(right, 'huge.bin')]).toEqual(['a', 'b', undefined]);
    expect(scanTree(right).tempFiles).toEqual([]); // the partial copy was removed
    expect(spawnSync('mount', ['-o', 'remount,size=8m', right]).status).toBe(0);
    const next = await syncFolderPair(left, right, { knownReplicas: first.replicas });
    expect([next.status, next.events, next.conflicts]).toEqual(['succeeded', [], []]);
    expect(fs.statSync(path.join(right, 'huge.bin')).size).toBe(3 * 1024 * 1024);
  });
});
