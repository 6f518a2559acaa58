/**
 * A side whose file system keeps no Unix modes (FAT, exFAT). The pair-sync logic runs on ordinary folders with the
 * mode probe answering "no" for the right root; `caseInsensitive.test.ts` checks the probe and the writes on a real
 * FAT file system (FUSE), where chmod fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { syncFolderPair, type FolderPairOptions } from './syncFolderPair.ts';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import type * as pathSafety from './pathSafety.ts';

const seam = vi.hoisted(() => ({ noModeRoots: new Set<string>() }));
vi.mock('./pathSafety.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof pathSafety>();
  return { ...actual, probeModeSupport: (root: string) => !seam.noModeRoots.has(root) && actual.probeModeSupport(root) };
});

afterAll(removeTempDirs);

const modeOf = (root: string, name: string) => fs.statSync(path.join(root, name)).mode & 0o777;

/** A pair whose right side keeps no modes; its files show 0700, as a FAT drive mounted by a user does. */
function pair() {
  const left = makeTempDir('left');
  const right = makeTempDir('right-fat');
  seam.noModeRoots.add(right);
  let known: { left?: string; right?: string } = {};
  const sync = async (options: FolderPairOptions = {}) => {
    const result = await syncFolderPair(left, right, { knownReplicas: known, ...options });
    known = result.replicas;
    for (const name of fs.readdirSync(right, { recursive: true, encoding: 'utf8' })) {
      if (!name.startsWith('.synccenter')) fs.chmodSync(path.join(right, name), 0o700);
    }
    return result;
  };
  return { left, right, sync };
}

describe('a side that keeps no Unix modes (probe injected)', () => {
  it('never spreads its fixed modes, ignores mode changes, and gives its new files a default mode', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'doc.txt': 'v1', 'script.sh': 'echo' });
    fs.chmodSync(path.join(left, 'doc.txt'), 0o640);
    fs.chmodSync(path.join(left, 'script.sh'), 0o755);
    expect((await sync()).events).toEqual([]);
    expect(readText(right, 'doc.txt')).toBe('v1');
    writeFiles(right, { 'doc.txt': 'v2 from the stick', 'new.txt': 'made on the stick' });
    fs.chmodSync(path.join(right, 'new.txt'), 0o700);
    const edited = await sync();
    expect([edited.events, edited.conflicts]).toEqual([[], []]);
    expect(readText(left, 'doc.txt')).toBe('v2 from the stick');
    expect([modeOf(left, 'doc.txt'), modeOf(left, 'script.sh'), modeOf(left, 'new.txt')]).toEqual([0o640, 0o755, 0o644]);
    fs.chmodSync(path.join(left, 'script.sh'), 0o700); // a mode change: nothing to write on the stick, no error
    expect((await sync()).events).toEqual([]);
    expect(modeOf(left, 'script.sh')).toBe(0o700);
    const quiet = await sync();
    expect([quiet.statistics.leftToRight?.received, quiet.statistics.rightToLeft?.received]).toEqual([0, 0]);
  });
});
