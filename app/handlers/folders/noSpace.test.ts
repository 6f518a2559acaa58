/**
 * A full destination disk during a pair sync, on a real small file system: a tmpfs mounted (and resized) by the
 * test (needs root and mount rights; skipped with the reason otherwise). What must hold: the sync says clearly
 * what is wrong (NO_SPACE, naming the file or the store it could not write), the source is never touched, the full
 * side only ever holds complete files, and once there is room the next sync finishes with no conflict.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrityCheck, isOurTempFile, leftoverTempFiles, snapshotTree } from '../../proof/proofKit.ts';
import { handlerText } from '../handlerText.ts';
import { describe as describeError } from '../pairSession.ts';
import type { FileRecord } from './changeDetector.ts';
import { loadScanState, saveScanState, scanStatePath } from './scanStateStore.ts';
import { syncFolderPair } from './syncFolderPair.ts';
import { makeTempDir, readText, resizeSmallFileSystem, smallFileSystem, suiteFileSystem, writeFiles } from './testFolders.ts';
import { scanTree } from './treeScanner.ts';

const probe = suiteFileSystem('[folders] full-disk suite', '1m');

/** `count` files of `bytes` random bytes each in a fresh folder (random: nothing compresses or deduplicates). */
function sourceFolder(count: number, bytes: number): string {
  const root = makeTempDir('full-disk-source');
  for (let index = 0; index < count; index += 1) fs.writeFileSync(path.join(root, `f${String(index).padStart(2, '0')}.bin`), crypto.randomBytes(bytes));
  return root;
}

/** Every user file of `root` (not Sync Center's own folder, not a temporary file) with its content hash. */
function userFiles(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [relative, hash] of snapshotTree(root)) if (hash !== 'dir' && !isOurTempFile(path.basename(relative))) files.set(relative, hash);
  return files;
}

/** A left side of `count` random files (with their hashes, `before`) and an empty right side on a tmpfs of `size`. */
function pairOntoSmallDisk(count: number, bytes: number, size: string): { left: string; before: Map<string, string>; disk: string; right: string } {
  const left = sourceFolder(count, bytes);
  const disk = smallFileSystem(size) ?? '';
  const right = path.join(disk, 'right');
  fs.mkdirSync(right);
  return { left, before: userFiles(left), disk, right };
}

/** The full side holds only complete copies of source files, nothing half-written under a real name. */
function expectOnlyCompleteCopies(source: Map<string, string>, full: string): void {
  for (const [relative, hash] of userFiles(full)) expect([relative, hash]).toEqual([relative, source.get(relative)]);
}

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
    resizeSmallFileSystem(right, '8m');
    const next = await syncFolderPair(left, right, { knownReplicas: first.replicas });
    expect([next.status, next.events, next.conflicts]).toEqual(['succeeded', [], []]);
    expect(fs.statSync(path.join(right, 'huge.bin')).size).toBe(3 * 1024 * 1024);
  });

  it('a drive that fills up: the files that fit are written, the rest fail one by one with NO_SPACE, and the sync records what it wrote', async () => {
    const { left, before, disk, right } = pairOntoSmallDisk(30, 200_000, '4000k');

    const first = await syncFolderPair(left, right);
    const noSpace = first.events.filter((event) => event.code === 'NO_SPACE');
    const written = userFiles(right);
    // Some fit, some did not; each one that did not is its own event naming it, in words a user can act on.
    expect(written.size).toBeGreaterThan(0);
    expect(written.size).toBeLessThan(30);
    expect(noSpace.map((event) => event.path).sort()).toEqual([...before.keys()].filter((name) => !written.has(name)).sort());
    for (const event of noSpace) expect(event.message).toContain(`No space left to write "${event.path}"`);
    expect(first.statistics.leftToRight?.failed).toBe(noSpace.length);
    expectOnlyCompleteCopies(before, right);
    // The copies left room for the sync's records (RECORDS_RESERVE): the store took the commit and is intact.
    expect(integrityCheck(path.join(right, '.synccenter', 'metadata.db'))).toBe('ok');

    resizeSmallFileSystem(disk, '16m');
    const second = await syncFolderPair(left, right);
    expect([second.conflicts, second.events]).toEqual([[], []]);
    // Only what was missing travels: what the first sync wrote was recorded as synced.
    expect(second.statistics.leftToRight?.created).toBe(noSpace.length);
    expect(userFiles(right)).toEqual(before);
    expect(userFiles(left)).toEqual(before);
    expect(leftoverTempFiles(right)).toEqual([]);
    const third = await syncFolderPair(left, right);
    expect([third.statistics.leftToRight?.received, third.statistics.rightToLeft?.received]).toEqual([0, 0]);
  });

  it('no room for the metadata store itself: NO_SPACE naming it (English and French), nothing lost, and the next sync with room finishes', async () => {
    const { left, before, disk, right } = pairOntoSmallDisk(5, 20_000, '16k');

    const store = path.join(right, '.synccenter', 'metadata.db');
    const failure = await syncFolderPair(left, right).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 'NO_SPACE', path: store });
    // Not SQLite's "cannot rollback - no transaction is active", nor "damaged": what is wrong, where, what to do.
    expect(describeError(failure, handlerText('en'))).toContain(`No space left to record this sync in "${store}"`);
    expect(describeError(failure, handlerText('fr'))).toContain(`Plus d’espace libre pour enregistrer cette synchronisation dans « ${store} »`);
    expect(userFiles(left)).toEqual(before);
    expectOnlyCompleteCopies(before, right);

    resizeSmallFileSystem(disk, '8m');
    const next = await syncFolderPair(left, right);
    expect(next.conflicts).toEqual([]);
    expect(userFiles(right)).toEqual(before);
    expect(userFiles(left)).toEqual(before);
  });

  it('a scan state that cannot be saved: NO_SPACE naming it, the previous one kept, no partial file left', () => {
    const disk = smallFileSystem('256k') ?? '';
    const many = Array.from({ length: 5000 }, (_, index): FileRecord => ({ path: `folder/file-${index}.txt`, kind: 'file', size: index, mtimeNs: 1n, ino: BigInt(index + 1), mode: 0o644, hash: 'ab'.repeat(32) }));
    saveScanState(disk, { scanStartedAtNs: 1n, granularityNs: 1n, records: many.slice(0, 2) });
    expect(() => saveScanState(disk, { scanStartedAtNs: 2n, granularityNs: 1n, records: many })).toThrow(
      expect.objectContaining({ code: 'NO_SPACE', path: scanStatePath(disk), message: `No space left to write "${scanStatePath(disk)}". Free some space on that drive (or empty the Sync Center trash) and sync again.` }),
    );
    expect(fs.readdirSync(path.join(disk, '.synccenter'))).toEqual(['scan-state.tsv']);
    expect(loadScanState(disk)).toMatchObject({ scanStartedAtNs: 1n, records: many.slice(0, 2) });
  });
});
