/**
 * Case-insensitive sides. The pair-sync logic runs on ordinary folders with the case probe answering "yes" for
 * the right root (this machine's kernel has no casefold support and no vfat driver). What a real case-insensitive
 * file system does is checked on FAT mounted through FUSE (`fusefat`, `mkfs.vfat`, as root; skipped otherwise):
 * the probe, that a case variant of an existing file is never overwritten, and whole pair syncs with a side there
 * (FUSE FAT offers no shared memory for SQLite's WAL index, so the metadata store opens in exclusive locking mode,
 * and fusefat cannot extend an existing file, so the scan state writes a new base instead of appending).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MetadataStore } from '../../store/metadata/metadataStore.ts';
import { processUmask } from './copyToTemp.ts';
import { FileTransfer } from './fileTransfer.ts';
import * as pathSafety from './pathSafety.ts';
import { syncFolderPair, type FolderPairOptions } from './syncFolderPair.ts';
import { tempNameFor } from './tempNames.ts';
import { ensureDebianTools, makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import { Trash } from './trash.ts';

const seam = vi.hoisted(() => ({ caseInsensitiveRoots: new Set<string>() }));
vi.mock('./pathSafety.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof pathSafety>();
  return { ...actual, probeCaseInsensitive: (root: string) => seam.caseInsensitiveRoots.has(root) || actual.probeCaseInsensitive(root) };
});

afterAll(removeTempDirs);

const visible = (root: string) => fs.readdirSync(root).filter((name) => !name.startsWith('.')).sort();

/** A pair whose right side behaves as case-insensitive for the sync logic. */
function pair() {
  const left = makeTempDir('left');
  const right = makeTempDir('right-ci');
  seam.caseInsensitiveRoots.add(right);
  let known: { left?: string; right?: string } = {};
  const sync = async (options: FolderPairOptions = {}) => {
    const result = await syncFolderPair(left, right, { knownReplicas: known, ...options });
    known = result.replicas;
    return result;
  };
  return { left, right, sync };
}

describe('a case-only collision on a case-insensitive side (probe injected)', () => {
  it('is a saved conflict: nothing is overwritten, the session succeeds, and "keep both" settles it', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'README.txt': 'left' });
    writeFiles(right, { 'readme.txt': 'right' });
    const first = await sync();
    expect(first.status).toBe('succeeded');
    expect(first.conflicts).toEqual([expect.objectContaining({ kind: 'collision', path: 'readme.txt', resolution: 'saved' })]);
    expect(first.events).toEqual([]);
    expect(visible(right)).toEqual(['readme.txt']);
    expect(readText(right, 'readme.txt')).toBe('right');
    expect(readText(left, 'README.txt')).toBe('left'); // the case-sensitive side may hold both
    expect((await sync()).conflicts).toEqual([expect.objectContaining({ kind: 'collision', resolution: 'saved' })]);
    const settled = await sync({ resolutions: new Map([['readme.txt', 'keepBoth']]) });
    expect(settled.conflicts).toEqual([expect.objectContaining({ kind: 'collision', resolution: 'bothKept' })]);
    expect(visible(right)).toEqual(['README (2).txt', 'readme.txt']);
    expect(visible(left)).toEqual(visible(right));
    expect([readText(right, 'README (2).txt'), readText(right, 'readme.txt')]).toEqual(['left', 'right']);
    expect((await sync()).conflicts).toEqual([]);
  });

  it('two new files differing only in case: one arrives, the other is a conflict, even with equal content', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'Notes.md': 'same', 'NOTES.md': 'same', 'other.txt': 'o' });
    const result = await sync();
    expect(result.conflicts).toEqual([expect.objectContaining({ kind: 'collision', resolution: 'saved' })]);
    expect(visible(right).filter((name) => name.toLowerCase() === 'notes.md')).toHaveLength(1);
    expect(readText(right, 'other.txt')).toBe('o');
    expect(visible(left)).toEqual(['NOTES.md', 'Notes.md', 'other.txt']); // nothing merged away on the left
  });

  it('a rename that changes only case is applied as a rename', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'report.txt': 'r' });
    await sync();
    const inode = fs.statSync(path.join(right, 'report.txt')).ino;
    fs.renameSync(path.join(left, 'report.txt'), path.join(left, 'Report.txt'));
    const result = await sync();
    expect([result.conflicts, result.events]).toEqual([[], []]);
    expect(visible(right)).toEqual(['Report.txt']);
    expect(fs.statSync(path.join(right, 'Report.txt')).ino).toBe(inode);
  });
});

/** A FAT file system mounted through FUSE, or undefined where that is not possible. */
function mountFat(): string | undefined {
  if (process.getuid?.() !== 0 || !fs.existsSync('/dev/fuse')) return skipFat('mounting through FUSE needs root and /dev/fuse');
  const tools = ensureDebianTools({ fusefat: 'fusefat', 'mkfs.vfat': 'dosfstools', fusermount: 'fuse' });
  if (!tools.ok) return skipFat(tools.reason);
  const image = path.join(makeTempDir('fat-image'), 'fat.img');
  const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'synccenter-fat-'));
  spawnSync('truncate', ['-s', '16M', image]);
  const ok = spawnSync('mkfs.vfat', ['-F', '32', image]).status === 0 && spawnSync('fusefat', ['-o', 'rw+', image, mountPoint]).status === 0;
  if (!ok) return skipFat('mkfs.vfat or fusefat failed');
  afterAll(() => {
    spawnSync('fusermount', ['-u', mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });
  return mountPoint;
}

function skipFat(reason: string): undefined {
  console.log(`[folders] FAT (case-insensitive) suite skipped: ${reason}`);
  return undefined;
}

const fat = mountFat();

describe.skipIf(fat === undefined)('on a real case-insensitive file system without modes (FAT through FUSE)', () => {
  const root = fat ?? '';

  it('the probe tells it apart from this machine\'s case-sensitive temp folder', () => {
    expect(pathSafety.probeCaseInsensitive(root)).toBe(true);
    expect(pathSafety.probeCaseInsensitive(makeTempDir('cs'))).toBe(false);
  });

  it('never installs a file over a case variant of an existing one', () => {
    fs.writeFileSync(path.join(root, 'readme.txt'), 'already here');
    const tempPath = path.join(root, tempNameFor('README.txt'));
    fs.writeFileSync(tempPath, 'incoming');
    const transfer = new FileTransfer(root, new Trash(root), { caseInsensitive: true });
    const prepared = { kind: 'file', destinationPath: 'README.txt', tempPath, size: 8, mtimeNs: 0n, mode: 0o644, hash: 'h' } as const;
    expect(() => transfer.install(prepared, { kind: 'absent' })).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED' }));
    expect(fs.readFileSync(path.join(root, 'readme.txt'), 'utf8')).toBe('already here');
    expect(fs.existsSync(tempPath)).toBe(false);
  });

  it('the mode probe says FAT keeps no modes; writes there succeed without them, and fail with them', async () => {
    expect(pathSafety.probeModeSupport(root)).toBe(false);
    expect(pathSafety.probeModeSupport(makeTempDir('modes'))).toBe(true);
    const source = makeTempDir('src');
    writeFiles(source, { 'a.txt': 'content' });
    // Every permission bit: more than the umask lets a new file have, so a copy keeping modes must chmod it.
    fs.chmodSync(path.join(source, 'a.txt'), 0o777);
    const stat = fs.lstatSync(path.join(source, 'a.txt'), { bigint: true });
    const request = { sourceRoot: source, sourcePath: 'a.txt', destinationPath: 'docs/a.txt', expectedSource: { size: Number(stat.size), mtimeNs: stat.mtimeNs, ino: stat.ino } };
    const withModes = new FileTransfer(root, new Trash(root));
    // (Under umask 0, 0777 is created as is and there is no chmod to refuse.)
    if (processUmask() !== 0) await expect(withModes.prepare(request)).rejects.toMatchObject({ code: 'IO_ERROR', message: expect.stringMatching(/ENOSYS/) });
    const transfer = new FileTransfer(root, new Trash(root), { keepModes: false });
    transfer.ensureDirectory('docs', 0o750);
    transfer.install(await transfer.prepare(request), { kind: 'absent' });
    await transfer.flush();
    expect(fs.readFileSync(path.join(root, 'docs/a.txt'), 'utf8')).toBe('content');
  });

  it('renames a file to another case of its name', () => {
    fs.writeFileSync(path.join(root, 'photo.jpg'), 'pixels');
    const stat = fs.lstatSync(path.join(root, 'photo.jpg'), { bigint: true });
    const transfer = new FileTransfer(root, new Trash(root), { caseInsensitive: true });
    transfer.move('photo.jpg', 'Photo.JPG', { kind: 'file', size: Number(stat.size), mtimeNs: stat.mtimeNs, ino: stat.ino });
    expect(fs.readdirSync(root)).toContain('Photo.JPG');
    expect(fs.readdirSync(root)).not.toContain('photo.jpg');
    expect(fs.readFileSync(path.join(root, 'Photo.JPG'), 'utf8')).toBe('pixels');
  });
});

describe.skipIf(fat === undefined)('whole pair syncs with a side on FAT through FUSE', () => {
  const root = fat ?? '';
  const tree = (at: string) => (fs.readdirSync(at, { recursive: true }) as string[]).filter((name) => !name.startsWith('.synccenter')).sort();

  it('the metadata store opens there in exclusive locking mode (no shared memory for WAL) and keeps its data', () => {
    const file = path.join(fs.mkdtempSync(path.join(root, 'store-')), 'metadata.db');
    const store = MetadataStore.open({ path: file, replicaId: () => '00000000-0000-4000-8000-00000000fa75' });
    expect(store.exclusive).toBe(true);
    store.close();
    const again = MetadataStore.open({ path: file, replicaId: () => '00000000-0000-4000-8000-000000000bad' });
    expect(again.replicaId).toBe('00000000-0000-4000-8000-00000000fa75');
    again.close();
    const local = MetadataStore.open({ path: path.join(makeTempDir('store'), 'metadata.db'), replicaId: () => '00000000-0000-4000-8000-000000000001' });
    expect(local.exclusive).toBe(false);
    local.close();
  });

  it('syncs every file both ways, without modes on the FAT side, and the next sync finds nothing to do', async () => {
    const left = makeTempDir('left');
    const right = fs.mkdtempSync(path.join(root, 'pair-'));
    writeFiles(left, { 'docs/a.txt': 'left a', 'b.txt': 'left b' });
    writeFiles(right, { 'photos/c.jpg': 'right c' });
    const first = await syncFolderPair(left, right);
    expect(first).toMatchObject({ status: 'succeeded', conflicts: [], events: [] });
    expect(tree(left)).toEqual(['b.txt', 'docs', 'docs/a.txt', 'photos', 'photos/c.jpg']);
    expect(tree(right)).toEqual(tree(left));
    expect(readText(right, 'docs/a.txt')).toBe('left a');
    expect(readText(left, 'photos/c.jpg')).toBe('right c');
    const second = await syncFolderPair(left, right, { knownReplicas: first.replicas });
    expect(second.statistics.leftToRight?.applied ?? 0).toBe(0);
    expect(second.statistics.rightToLeft?.applied ?? 0).toBe(0);
    // Later syncs record their few changes (fusefat refuses to extend an existing file: EPERM on every append).
    for (const [round, text] of ['edited once', 'edited twice'].entries()) {
      writeFiles(left, { 'b.txt': text, [`new-${round}.txt`]: text });
      const later = await syncFolderPair(left, right, { knownReplicas: first.replicas });
      expect(later).toMatchObject({ status: 'succeeded', conflicts: [], events: [] });
      expect(readText(right, 'b.txt')).toBe(text);
      expect(readText(right, `new-${round}.txt`)).toBe(text);
    }
    const last = await syncFolderPair(left, right, { knownReplicas: first.replicas });
    expect((last.statistics.leftToRight?.applied ?? 0) + (last.statistics.rightToLeft?.applied ?? 0)).toBe(0);
  });

  it('two folders whose names differ only in case, one per side: a saved collision, every file kept on both sides', async () => {
    const left = makeTempDir('left');
    const right = fs.mkdtempSync(path.join(root, 'pair-'));
    writeFiles(left, { 'Docs/a.txt': 'left a' });
    writeFiles(right, { 'docs/b.txt': 'right b' });
    let known: { left?: string; right?: string } = {};
    const sync = async (options: FolderPairOptions = {}) => {
      const result = await syncFolderPair(left, right, { knownReplicas: known, ...options });
      known = result.replicas;
      expect(result.status).toBe('succeeded');
      return result;
    };
    /** Each file's content, whatever folder it is in. */
    const contents = (at: string) => tree(at).flatMap((name) => (fs.statSync(path.join(at, name)).isFile() ? [`${path.basename(name)}=${readText(at, name)}`] : [])).sort();
    for (let round = 0; round < 2; round += 1) {
      const result = await sync();
      expect(result.conflicts).toEqual([expect.objectContaining({ kind: 'collision', path: 'docs', resolution: 'saved' })]);
      // FAT would file Docs/a.txt in its docs/ (and the next scan would carry that move back, merging the two
      // folders before the user chose): the file waits for the collision instead, with an event saying why.
      expect(result.events).toEqual([expect.objectContaining({ code: 'DESTINATION_CHANGED', path: 'Docs/a.txt', message: expect.stringContaining('differs only in case from the folder "docs"') })]);
      expect(tree(left)).toEqual(['Docs', 'Docs/a.txt', 'docs', 'docs/b.txt']);
      expect(tree(right)).toEqual(['docs', 'docs/b.txt']);
    }
    expect((await sync({ resolutions: new Map([['docs', 'keepBoth']]) })).conflicts).toEqual([expect.objectContaining({ kind: 'collision', resolution: 'bothKept' })]);
    const settled = await sync();
    expect(settled).toMatchObject({ conflicts: [], events: [] });
    expect(tree(right)).toEqual(tree(left));
    expect(contents(left)).toEqual(['a.txt=left a', 'b.txt=right b']);
    expect(contents(right)).toEqual(['a.txt=left a', 'b.txt=right b']);
  });
});
