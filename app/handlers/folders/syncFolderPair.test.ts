import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MetadataStore } from '../../engine/index.ts';
import { loadScanState, scanStateLogPath, scanStatePath } from './scanStateStore.ts';
import { syncFolderPair, type FolderPairOptions, type FolderProgress } from './syncFolderPair.ts';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import { Trash } from './trash.ts';
import { scanTree } from './treeScanner.ts';

afterAll(removeTempDirs);

/** Relative path → content (files), "<dir>" (folders) or "-> target" (links), as the user sees the tree. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of scanTree(root).entries) {
    if (entry.kind === 'directory') out[entry.path] = '<dir>';
    else if (entry.kind === 'symlink') out[entry.path] = `-> ${entry.linkTarget ?? ''}`;
    else out[entry.path] = fs.readFileSync(path.join(root, entry.path), 'utf8');
  }
  return out;
}

/** A pair that remembers its replica ids between syncs, as the handler does. */
function pair(options: FolderPairOptions = {}) {
  const left = makeTempDir('left');
  const right = makeTempDir('right');
  let known: { left?: string; right?: string } = {};
  const sync = async (extra: FolderPairOptions = {}) => {
    const result = await syncFolderPair(left, right, { ...options, knownReplicas: known, ...extra });
    known = result.replicas;
    return result;
  };
  return { left, right, sync };
}

describe('syncFolderPair', () => {
  it('copies a tree both ways: files, folders, empty folders, links, modes and mtimes', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'alpha', 'docs/b.txt': 'beta' });
    fs.mkdirSync(path.join(left, 'empty'));
    fs.symlinkSync('docs/b.txt', path.join(left, 'link'));
    fs.chmodSync(path.join(left, 'a.txt'), 0o640);
    fs.utimesSync(path.join(left, 'a.txt'), 1_600_000_000, 1_600_000_000);
    writeFiles(right, { 'from-right.txt': 'r' });
    const result = await sync();
    expect(result.status).toBe('succeeded');
    expect(tree(right)).toEqual(tree(left));
    expect(tree(left)).toMatchObject({ 'a.txt': 'alpha', 'docs/b.txt': 'beta', empty: '<dir>', link: '-> docs/b.txt', 'from-right.txt': 'r' });
    const copied = fs.statSync(path.join(right, 'a.txt'));
    expect(copied.mode & 0o777).toBe(0o640);
    expect(copied.mtimeMs).toBe(1_600_000_000_000);
    const again = await sync();
    expect([again.statistics.leftToRight?.applied, again.statistics.rightToLeft?.applied]).toEqual([0, 0]);
    expect(again.conflicts).toEqual([]);
  });

  it('propagates edits, and deletes into the other side\'s trash', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'v1', 'b.txt': 'b' });
    await sync();
    writeFiles(right, { 'a.txt': 'v2 from right' });
    fs.rmSync(path.join(left, 'b.txt'));
    await sync();
    expect(tree(left)).toEqual({ 'a.txt': 'v2 from right' });
    expect(tree(right)).toEqual({ 'a.txt': 'v2 from right' });
    expect(new Trash(right).list().map((entry) => entry.relativePath)).toEqual(['b.txt']);
    expect(new Trash(left).list().map((entry) => entry.relativePath)).toEqual(['a.txt']);
  });

  it('applies a rename or move as a rename on the other side (same inode there, nothing copied)', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'dir/report.txt': 'content', 'x.txt': 'x' });
    await sync();
    const inode = fs.statSync(path.join(right, 'dir/report.txt')).ino;
    const folderInode = fs.statSync(path.join(right, 'dir')).ino;
    fs.renameSync(path.join(left, 'dir'), path.join(left, 'archive'));
    fs.renameSync(path.join(left, 'x.txt'), path.join(left, 'archive', 'y.txt'));
    let bytes = 0;
    await sync({ onProgress: (progress) => (bytes = progress.bytesDone) });
    expect(tree(right)).toEqual({ archive: '<dir>', 'archive/report.txt': 'content', 'archive/y.txt': 'x' });
    expect(fs.statSync(path.join(right, 'archive/report.txt')).ino).toBe(inode);
    expect(fs.statSync(path.join(right, 'archive')).ino).toBe(folderInode);
    expect(bytes).toBe(0);
    // Both sides' scan states now hold the new paths: the next sync finds nothing to do.
    const again = await sync();
    expect([again.statistics.leftToRight?.received, again.statistics.rightToLeft?.received]).toEqual([0, 0]);
    expect(loadScanState(left).records.map((record) => record.path).sort()).toEqual(['archive', 'archive/report.txt', 'archive/y.txt']);
  });

  it('saves an update-update conflict without overwriting either side, then a policy resolves it', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'doc.txt': 'base' });
    await sync();
    writeFiles(left, { 'doc.txt': 'left edit' });
    writeFiles(right, { 'doc.txt': 'right edit!' });
    const result = await sync();
    expect(result.conflicts).toEqual([expect.objectContaining({ kind: 'updateUpdate', path: 'doc.txt', resolution: 'saved' })]);
    expect([readText(left, 'doc.txt'), readText(right, 'doc.txt')]).toEqual(['left edit', 'right edit!']);
    const again = await sync();
    expect(again.conflicts).toHaveLength(1); // still unresolved, still untouched
    expect([readText(left, 'doc.txt'), readText(right, 'doc.txt')]).toEqual(['left edit', 'right edit!']);
    const resolved = await sync({ conflictPolicy: 'rightWins' });
    expect(resolved.conflicts).toEqual([expect.objectContaining({ resolution: 'rightKept' })]);
    expect([readText(left, 'doc.txt'), readText(right, 'doc.txt')]).toEqual(['right edit!', 'right edit!']);
    expect(new Trash(left).list().map((entry) => entry.relativePath)).toEqual(['doc.txt']); // the loser is kept
    expect((await sync()).conflicts).toEqual([]);
  });

  it('keeps the update over a delete and says so', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'f.txt': 'v1' });
    await sync();
    fs.rmSync(path.join(left, 'f.txt'));
    writeFiles(right, { 'f.txt': 'v2 edited' });
    const result = await sync();
    expect([readText(left, 'f.txt'), readText(right, 'f.txt')]).toEqual(['v2 edited', 'v2 edited']);
    expect(result.events).toEqual([expect.objectContaining({ level: 'information', code: 'UPDATE_KEPT_OVER_DELETE', path: 'f.txt' })]);
  });

  it('merges identical new files and folders at the same path; different new files are a conflict', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'same.txt': 'same', 'shared/a': 'a', 'clash.txt': 'left version' });
    writeFiles(right, { 'same.txt': 'same', 'shared/b': 'b', 'clash.txt': 'right version' });
    const result = await sync();
    expect(result.conflicts.filter((conflict) => conflict.resolution === 'saved').map((conflict) => conflict.path)).toEqual(['clash.txt']);
    expect(tree(left)).toMatchObject({ 'same.txt': 'same', 'shared/a': 'a', 'shared/b': 'b', 'clash.txt': 'left version' });
    expect(tree(right)).toMatchObject({ 'same.txt': 'same', 'shared/a': 'a', 'shared/b': 'b', 'clash.txt': 'right version' });
  });

  it('records a tree copied by hand to the other side before the first sync, copying nothing and trashing nothing', async () => {
    const { left, right, sync } = pair();
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`d${index % 4}/f${index}.txt`, `content ${index}`]));
    writeFiles(left, files);
    fs.cpSync(left, right, { recursive: true, preserveTimestamps: true });
    const inodes = (root: string) => scanTree(root).entries.filter((entry) => entry.kind === 'file').map((entry) => `${entry.path} ${entry.ino}`).sort();
    const before = { left: inodes(left), right: inodes(right) };
    const result = await sync();
    expect(result.conflicts).toEqual([]);
    expect(result.events).toEqual([]);
    expect({ left: inodes(left), right: inodes(right) }).toEqual(before); // no file replaced on either side
    expect([new Trash(left).list(), new Trash(right).list()]).toEqual([[], []]);
    expect(tree(right)).toEqual(tree(left));
    // Recorded as synced: an edit afterwards is an ordinary change, not a conflict.
    writeFiles(right, { 'd1/f1.txt': 'edited on the right' });
    const next = await sync();
    expect(next.conflicts).toEqual([]);
    expect(readText(left, 'd1/f1.txt')).toBe('edited on the right');
  });

  it('never overwrites a twin edited between planning and applying: it is skipped with a warning, then a conflict', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'twin.txt': 'same', 'other.txt': 'other' });
    writeFiles(right, { 'twin.txt': 'same' });
    const inject = (progress: FolderProgress) => {
      if (progress.stage === 'transferring' && readText(right, 'twin.txt') === 'same' && readText(left, 'twin.txt') === 'same') {
        writeFiles(right, { 'twin.txt': 'edited on the right meanwhile' });
        writeFiles(left, { 'twin.txt': 'edited on the left meanwhile' });
      }
    };
    const first = await sync({ onProgress: inject });
    expect(first.events.filter((event) => event.code === 'DESTINATION_CHANGED').map((event) => event.path)).toEqual(['twin.txt']);
    expect([readText(left, 'twin.txt'), readText(right, 'twin.txt'), readText(right, 'other.txt')]).toEqual(['edited on the left meanwhile', 'edited on the right meanwhile', 'other']);
    const next = await sync();
    expect(next.conflicts.filter((conflict) => conflict.resolution === 'saved').map((conflict) => conflict.path)).toEqual(['twin.txt']);
    expect([readText(left, 'twin.txt'), readText(right, 'twin.txt')]).toEqual(['edited on the left meanwhile', 'edited on the right meanwhile']);
  });

  it('fails with ROOT_MISSING when a synced side lost its root or metadata, and deletes nothing', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'a' });
    await sync();
    fs.rmSync(path.join(right, '.synccenter'), { recursive: true });
    fs.rmSync(path.join(right, 'a.txt')); // looks like an empty mount point
    await expect(sync()).rejects.toMatchObject({ code: 'ROOT_MISSING' });
    fs.rmSync(right, { recursive: true });
    await expect(sync()).rejects.toThrow(/Replica root missing.*Nothing was deleted/);
    expect(tree(left)).toEqual({ 'a.txt': 'a' });
    fs.mkdirSync(right);
    await sync({ freshStart: { right: true } });
    expect(tree(right)).toEqual({ 'a.txt': 'a' });
  });

  it('never syncs the sync data of another pair whose root is a folder inside this one, nor lets it be overwritten', async () => {
    const laptop = makeTempDir('laptop');
    const usb = makeTempDir('usb');
    const nas = makeTempDir('nas');
    const phone = makeTempDir('phone');
    writeFiles(laptop, { 'a.txt': 'a', 'photos/p.jpg': 'p' });
    // Photos is also a pair of its own on each side: laptop/photos with the NAS, usb/photos with a phone.
    await syncFolderPair(path.join(laptop, 'photos'), nas);
    await syncFolderPair(laptop, usb);
    await syncFolderPair(path.join(usb, 'photos'), phone);
    const usbPhotosReplica = MetadataStore.open({ path: path.join(usb, 'photos', '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    const replicaId = usbPhotosReplica.replicaId;
    usbPhotosReplica.close();
    writeFiles(laptop, { 'photos/q.jpg': 'q' });
    await syncFolderPair(path.join(laptop, 'photos'), nas); // laptop/photos/.synccenter changes
    const result = await syncFolderPair(laptop, usb);
    expect(result.events).toEqual([]);
    expect(tree(usb)).toEqual({ 'a.txt': 'a', photos: '<dir>', 'photos/p.jpg': 'p', 'photos/q.jpg': 'q' });
    const after = MetadataStore.open({ path: path.join(usb, 'photos', '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    expect(after.replicaId).toBe(replicaId); // usb/photos still holds its own pair's data, not the laptop's
    after.close();
    await syncFolderPair(path.join(usb, 'photos'), phone);
    expect(tree(phone)).toEqual({ 'p.jpg': 'p', 'q.jpg': 'q' });
    // A file of the user's that merely ends in ".synccenter" is synced like any other.
    writeFiles(laptop, { 'notes.synccenter': 'mine' });
    expect((await syncFolderPair(laptop, usb)).events).toEqual([]);
    expect(readText(usb, 'notes.synccenter')).toBe('mine');
  });

  it('refuses two roots that became one folder, or one inside the other, through a link retargeted since setup; nothing is written', async () => {
    const left = makeTempDir('left');
    writeFiles(left, { 'a.txt': 'a', 'sub/b.txt': 'b' });
    const place = fs.realpathSync(left);
    const alias = path.join(makeTempDir('links'), 'usb');
    fs.symlinkSync(left, alias);
    await expect(syncFolderPair(left, alias)).rejects.toMatchObject({
      code: 'ROOTS_OVERLAP',
      message: `"${left}" and "${alias}" are now one folder ("${place}"): a link or a mount changed since the pair was set up. Nothing was synced. Make them two different folders again, or delete this partnership.`,
    });
    fs.rmSync(alias);
    fs.symlinkSync(path.join(left, 'sub'), alias);
    await expect(syncFolderPair(left, alias)).rejects.toMatchObject({ code: 'ROOTS_OVERLAP', message: expect.stringContaining(`"${alias}" is now inside "${left}" (it is "${path.join(place, 'sub')}")`) });
    await expect(syncFolderPair(alias, left)).rejects.toMatchObject({ code: 'ROOTS_OVERLAP' });
    expect(tree(left)).toEqual({ 'a.txt': 'a', sub: '<dir>', 'sub/b.txt': 'b' });
  });

  it('fails, writing nothing, when a side\'s scan state cannot be read; moves made meanwhile then arrive as moves', async () => {
    // Found by the I/O-error sweep (openat EIO on scan-state.tsv): read as "no scan state", the moves looked like new
    // files, so the other side got copies and kept the old files for good.
    const { left, right, sync } = pair();
    writeFiles(left, { 'd0/b20.txt': 'twenty', 'd1/b21.txt': 'twenty-one', 'keep.txt': 'k' });
    await sync();
    fs.mkdirSync(path.join(left, 'moved'));
    for (const [from, to] of [['d0/b20.txt', 'moved/b20.txt'], ['d1/b21.txt', 'moved/b21.txt']] as const) fs.renameSync(path.join(left, from), path.join(left, to));
    const before = tree(right);
    const read = fs.readFileSync;
    const failing = scanStatePath(left);
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((target: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (target === failing) throw Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' });
      return (read as (...args: unknown[]) => unknown)(target, ...rest);
    }) as typeof fs.readFileSync);
    try {
      await expect(sync()).rejects.toMatchObject({ code: 'IO_ERROR', path: failing });
    } finally {
      spy.mockRestore();
    }
    expect(tree(right)).toEqual(before);
    const result = await sync();
    expect([result.events, result.conflicts]).toEqual([[], []]);
    expect(tree(right)).toEqual({ d0: '<dir>', d1: '<dir>', 'keep.txt': 'k', moved: '<dir>', 'moved/b20.txt': 'twenty', 'moved/b21.txt': 'twenty-one' });
  });

  it.each([
    ['deleted by hand', (root: string) => {
      fs.rmSync(scanStatePath(root));
      fs.rmSync(scanStateLogPath(root), { force: true });
    }],
    ['with a damaged base', (root: string) => fs.writeFileSync(scanStatePath(root), 'not a scan state\n')],
  ])('sees the deletes and moves made since the last sync on a side whose scan state was %s', async (_how, lose) => {
    const { left, right, sync } = pair({ excludes: ['*.log'] });
    const nfd = 'cafe\u0301.txt';
    writeFiles(left, { 'gone.txt': 'g', 'a.txt': 'a', 'sub/b.txt': 'b', 'keep.txt': 'k', 'edit.txt': 'e', [nfd]: 'nfd', 'dir/x.txt': 'x', 'more/1.txt': '1', 'more/2.txt': '2' });
    fs.symlinkSync('keep.txt', path.join(left, 'link'));
    await sync();
    writeFiles(left, { 'left.log': 'never synced' });
    fs.rmSync(path.join(left, 'gone.txt'));
    fs.rmSync(path.join(left, 'dir'), { recursive: true });
    fs.renameSync(path.join(left, 'a.txt'), path.join(left, 'sub/a-moved.txt'));
    writeFiles(left, { 'edit.txt': 'edited' });
    writeFiles(right, { 'right.log': 'excluded here too' });
    lose(left);
    const result = await sync();
    expect([result.events, result.conflicts]).toEqual([[], []]);
    expect(tree(right)).toEqual({ [nfd.normalize('NFC')]: 'nfd', 'edit.txt': 'edited', 'keep.txt': 'k', link: '-> keep.txt', more: '<dir>', 'more/1.txt': '1', 'more/2.txt': '2', 'right.log': 'excluded here too', sub: '<dir>', 'sub/a-moved.txt': 'a', 'sub/b.txt': 'b' });
    // a.txt's move arrives as a move: its content (by the metadata's hash) is that of one new file only.
    expect(result.statistics.leftToRight).toMatchObject({ deleted: 3, created: 0, conflicts: 0 }); // gone.txt, dir, dir/x.txt
    expect(new Trash(right).list().map((entry) => entry.relativePath).sort()).toEqual(['dir/x.txt', 'edit.txt', 'gone.txt']);
    expect(loadScanState(left).records.map((record) => record.path).sort()).toEqual(Object.keys(tree(left)).filter((name) => !name.endsWith('.log')).sort());
    const again = await sync();
    expect([again.statistics.leftToRight?.received, again.statistics.rightToLeft?.received, again.events]).toEqual([0, 0, []]);
  });

  it('changes nothing on either side when a side that lost its scan state changed nothing', async () => {
    const { left, right, sync } = pair();
    // Empty files alike in content and name, in two folders: content alone must not pair them with each other.
    writeFiles(left, { 'a.txt': 'a', 'd/b.txt': 'b', '__init__.py': '', 'd/__init__.py': '', 'e/.keep': '' });
    fs.mkdirSync(path.join(left, 'empty'));
    await sync();
    const versions = MetadataStore.open({ path: path.join(left, '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    const ticks = versions.tickCount();
    versions.close();
    fs.rmSync(scanStatePath(right));
    fs.rmSync(scanStatePath(left));
    const result = await sync();
    expect([result.statistics.leftToRight?.received, result.statistics.rightToLeft?.received, result.events, result.conflicts]).toEqual([0, 0, [], []]);
    expect(tree(right)).toEqual(tree(left));
    const after = MetadataStore.open({ path: path.join(left, '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    expect(after.tickCount()).toBe(ticks);
    after.close();
  });

  it('re-records the files of a side whose metadata database was lost (scan state kept), without conflicts', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'a', 'd/b.txt': 'b' });
    await sync();
    await sync(); // the right side has only ever received changes (tick 0): its files need no re-recording
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(right, '.synccenter', `metadata.db${suffix}`), { force: true });
    const result = await sync({ freshStart: { right: true } });
    expect([result.conflicts, result.events]).toEqual([[], []]);
    expect(tree(right)).toEqual(tree(left));
    writeFiles(right, { 'd/b.txt': 'edited on the right' });
    await sync();
    expect(readText(left, 'd/b.txt')).toBe('edited on the right');
  });

  it.each(['ascending', 'descending'])('a rename onto an identical file new on the other side merges into one file (ids %s)', async (order) => {
    const { left, right, sync } = pair();
    let next = 0x100;
    const newId = () => `00000000-0000-4000-8000-${(order === 'ascending' ? next++ : 0xfffff - next++).toString(16).padStart(12, '0')}`;
    writeFiles(left, { 'a.txt': 'same content', 'other.txt': 'o' });
    await sync({ newId });
    fs.renameSync(path.join(left, 'a.txt'), path.join(left, 'b.txt'));
    writeFiles(right, { 'b.txt': 'same content' });
    const merged = await sync({ newId });
    expect([merged.events, merged.conflicts.filter((conflict) => conflict.resolution === 'saved')]).toEqual([[], []]);
    expect(tree(right)).toEqual({ 'b.txt': 'same content', 'other.txt': 'o' });
    expect(tree(left)).toEqual(tree(right));
  });

  it.each(['../escape.txt', '.synccenter/metadata.db', 'photos/.synccenter/metadata.db', 'docs/contacts.xml.synccenter/metadata.db'])('refuses an item named %s by damaged metadata: a warning, nothing written, nothing recorded', async (name) => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'a' });
    await sync();
    const store = MetadataStore.open({ path: path.join(left, '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    const model = store.findLiveItemByName('a.txt');
    if (model === undefined) throw new Error('a.txt is not recorded');
    const version = { key: 0, tick: store.tickCount() + 1 };
    const forged = { ...model, itemId: '99999999-9999-4999-8999-999999999999', name, created: version, version, units: model.units.map((unit) => ({ ...unit, version })) };
    store.commit({ records: [forged], knowledge: store.knowledge().withTick(0, version.tick), tickCount: version.tick });
    store.close();
    const result = await sync();
    expect(result.events).toEqual([expect.objectContaining({ level: 'warning', code: 'UNSAFE_NAME', path: name })]);
    expect(fs.existsSync(path.join(path.dirname(right), 'escape.txt'))).toBe(false);
    expect(fs.existsSync(path.join(right, name))).toBe(name === '.synccenter/metadata.db'); // the right side's own
    const rightStore = MetadataStore.open({ path: path.join(right, '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    expect(rightStore.getItem(forged.itemId)).toBeUndefined();
    rightStore.close();
  });

  it('fails with ROOT_MISSING when a root moves away during the sync, and never recreates it', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'a' });
    await sync();
    writeFiles(left, Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`new/${index}.txt`, `${index}`])));
    const movedAway = `${right}-moved`;
    const unplug = (progress: FolderProgress) => {
      if (progress.stage === 'transferring' && fs.existsSync(right)) fs.renameSync(right, movedAway); // the drive is pulled
    };
    await expect(sync({ onProgress: unplug })).rejects.toMatchObject({ code: 'ROOT_MISSING' });
    expect(fs.existsSync(right)).toBe(false);
    fs.renameSync(movedAway, right);
    // The root lock moved away with the root while held; this process would see it as its own for a minute.
    fs.rmSync(path.join(right, '.synccenter', 'lock'), { force: true });
    const back = await sync();
    expect([back.status, back.events]).toEqual(['succeeded', []]);
    expect(tree(right)).toEqual(tree(left));
  });

  it('stops before deleting more than half of the files, until confirmed', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`f${index}`, `${index}`])));
    await sync();
    for (let index = 0; index < 6; index += 1) fs.rmSync(path.join(left, `f${index}`));
    await expect(sync()).rejects.toMatchObject({ code: 'MASS_DELETE', message: `This sync would delete 6 of 10 files in ${right} (the right side), because they were deleted in ${left} (the left side). Nothing was deleted. Confirm to go ahead, or restore the files in ${left}.` });
    expect(Object.keys(tree(right))).toHaveLength(10);
    await sync({ massDelete: { confirmed: true } });
    expect(Object.keys(tree(right))).toHaveLength(4);
  });

  it('never deletes an excluded file, not even when its folder is deleted on the other side', async () => {
    const { left, right, sync } = pair({ excludes: ['*.log'] });
    writeFiles(left, { 'work/a.txt': 'a', 'work/b.txt': 'b', 'keep.txt': 'k', 'more.txt': 'm' });
    await sync();
    writeFiles(right, { 'work/debug.log': 'local only' });
    fs.rmSync(path.join(left, 'work'), { recursive: true });
    await sync();
    expect(tree(right)).toEqual({ 'keep.txt': 'k', 'more.txt': 'm', work: '<dir>', 'work/debug.log': 'local only' });
    expect(readText(left, 'work/debug.log')).toBeUndefined();
    // Kept for an excluded file only, the folder does not come back where it was deleted.
    await sync();
    await sync();
    expect(tree(left)).toEqual({ 'keep.txt': 'k', 'more.txt': 'm' });
  });

  it('keeps a deleted folder that holds a file the deleting side never saw, and brings it back there with that file', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'work/a.txt': 'a', 'work/b.txt': 'b', 'keep.txt': 'k', 'more.txt': 'm' });
    await sync();
    writeFiles(right, { 'work/new.txt': 'made on the right meanwhile' });
    fs.rmSync(path.join(left, 'work'), { recursive: true });
    await sync();
    expect(tree(right)).toEqual({ 'keep.txt': 'k', 'more.txt': 'm', work: '<dir>', 'work/new.txt': 'made on the right meanwhile' });
    await sync();
    const quiet = await sync();
    expect(tree(left)).toEqual(tree(right));
    expect(quiet.conflicts).toEqual([]);
    expect(quiet.events).toEqual([]);
    expect(quiet.statistics.leftToRight?.applied ?? 0).toBe(0);
    expect(quiet.statistics.rightToLeft?.applied ?? 0).toBe(0);
  });

  it('treats NFC and NFD spellings of a name as one file', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'cafe\u0301.txt': 'nfd' });
    writeFiles(right, { 'caf\u00e9.txt': 'nfd' });
    const result = await sync();
    expect(result.conflicts.filter((conflict) => conflict.resolution === 'saved')).toEqual([]);
    expect(fs.readdirSync(left).filter((name) => !name.startsWith('.'))).toEqual(['cafe\u0301.txt']);
    expect(fs.readdirSync(right).filter((name) => !name.startsWith('.'))).toEqual(['caf\u00e9.txt']);
    writeFiles(right, { 'caf\u00e9.txt': 'edited on right' });
    await sync();
    expect(readText(left, 'cafe\u0301.txt')).toBe('edited on right');
  });

  it('reports stages with files, bytes and totals', async () => {
    const { left, sync } = pair();
    writeFiles(left, { a: 'x'.repeat(1000), b: 'y'.repeat(500) });
    let time = 0;
    const reports: FolderProgress[] = [];
    await sync({ clock: { now: () => (time += 50) }, onProgress: (progress) => reports.push(progress) });
    expect([...new Set(reports.map((report) => report.stage))]).toEqual(['scanning', 'comparing', 'transferring', 'finished']);
    expect(reports.at(-1)).toMatchObject({ stage: 'finished', filesDone: 2, bytesDone: 1500, bytesTotal: 1500 });
  });

  it('counts a file done as its copy completes, and gives an ETA only after a second of transfer', async () => {
    const { left, sync } = pair();
    writeFiles(left, Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`f${index}.txt`, 'x'.repeat(100)])));
    let time = 0;
    const reports: FolderProgress[] = [];
    await sync({ clock: { now: () => (time += 400) }, onProgress: (progress) => reports.push({ ...progress }) });
    const transferring = reports.filter((report) => report.stage === 'transferring');
    // Files move with their bytes (not all at once when the batch is installed).
    expect(transferring.find((report) => report.filesDone > 0)?.bytesDone).toBeLessThan(4000);
    expect(transferring.at(-1)).toMatchObject({ filesDone: 40, filesTotal: 40, bytesDone: 4000 });
    expect(transferring[0]?.etaMs).toBeUndefined();
    expect(transferring.at(-1)?.etaMs).toBe(0);
    expect(reports.find((report) => report.stage === 'comparing')).toMatchObject({ filesDone: 40, filesTotal: 0 });
  });

  it('converges three replicas in a triangle without false conflicts', async () => {
    const a = makeTempDir('a');
    const b = makeTempDir('b');
    const c = makeTempDir('c');
    writeFiles(a, { 'shared.txt': 'from a', 'a-only': 'a' });
    writeFiles(b, { 'b-only': 'b' });
    const all = async () => {
      const conflicts = [];
      for (const [x, y] of [[a, b], [b, c], [c, a], [a, b], [b, c]] as const) conflicts.push(...(await syncFolderPair(x, y)).conflicts);
      return conflicts;
    };
    expect(await all()).toEqual([]);
    writeFiles(c, { 'shared.txt': 'edited on c' });
    fs.rmSync(path.join(b, 'a-only'));
    expect(await all()).toEqual([]);
    expect(tree(a)).toEqual({ 'b-only': 'b', 'shared.txt': 'edited on c' });
    expect(tree(b)).toEqual(tree(a));
    expect(tree(c)).toEqual(tree(a));
  });

  it('keeps both versions under a clear conflict name on both sides', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'report.txt': 'base' });
    await sync();
    writeFiles(left, { 'report.txt': 'laptop version' });
    writeFiles(right, { 'report.txt': 'usb version!' });
    const when = new Date(2026, 10, 22, 9, 30).getTime();
    const result = await sync({ conflictPolicy: 'keepBoth', clock: { now: () => when }, sideLabels: { left: 'laptop', right: 'usb' } });
    expect(result.conflicts).toEqual([expect.objectContaining({ kind: 'updateUpdate', resolution: 'bothKept' })]);
    const expected = { 'report.txt': 'usb version!', 'report (conflict 2026-11-22 0930 from laptop).txt': 'laptop version' };
    expect(tree(left)).toEqual(expected);
    expect(tree(right)).toEqual(expected);
  });

  it('resolves by policy: newer wins by modification time, left wins', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'a.txt': 'base', 'b.txt': 'base' });
    await sync();
    writeFiles(left, { 'a.txt': 'older left', 'b.txt': 'left b' });
    writeFiles(right, { 'a.txt': 'newer right', 'b.txt': 'right b' });
    fs.utimesSync(path.join(left, 'a.txt'), 1_700_000_000, 1_700_000_000);
    fs.utimesSync(path.join(right, 'a.txt'), 1_700_000_100, 1_700_000_100);
    await sync({ conflictPolicy: 'newerWins' });
    expect([readText(left, 'a.txt'), readText(right, 'a.txt')]).toEqual(['newer right', 'newer right']);
    writeFiles(left, { 'b.txt': 'left b2' });
    writeFiles(right, { 'b.txt': 'right b2' });
    await sync({ conflictPolicy: 'leftWins' });
    expect([readText(left, 'b.txt'), readText(right, 'b.txt')]).toEqual(['left b2', 'left b2']);
  });

  it('stops inside a large file when asked, leaving the destination untouched, and resumes next time', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'big.bin': Buffer.alloc(16 * 1024 * 1024, 1), 'small.txt': 's' });
    const controller = new AbortController();
    let time = 0; // a clock that moves 200 ms per reading, so every chunk is reported
    const result = await sync({ signal: controller.signal, clock: { now: () => (time += 200) }, onProgress: (progress) => progress.bytesDone > 0 && controller.abort() });
    expect(result.status).toBe('canceled');
    expect(readText(right, 'big.bin')).toBeUndefined();
    expect(scanTree(right).tempFiles).toEqual([]);
    const resumed = await sync();
    expect(resumed.status).toBe('succeeded');
    expect(fs.statSync(path.join(right, 'big.bin')).size).toBe(16 * 1024 * 1024);
  });

  it('a file that became a folder on one side while edited on the other is a conflict; nothing is lost', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { x: 'file', other: 'o' });
    await sync();
    fs.rmSync(path.join(left, 'x'));
    fs.mkdirSync(path.join(left, 'x'));
    writeFiles(right, { x: 'file edited on the right' });
    const outcome = await sync().then((result) => result.conflicts, (error: { code: string }) => error.code);
    // Either the conflict is saved, or (while the folder's new content cannot be placed under a file on the
    // right) the sync fails with a clear code; both sides keep their data either way.
    if (Array.isArray(outcome)) expect(outcome).toEqual([expect.objectContaining({ path: 'x', resolution: 'saved' })]);
    else expect(outcome).toMatch(/FILE_IN_THE_WAY|DESTINATION_CHANGED/);
    expect(fs.statSync(path.join(left, 'x')).isDirectory()).toBe(true);
    expect(readText(right, 'x')).toBe('file edited on the right');
  });

  it('overwrites none of 1,000 destination edits injected between planning and applying; they become conflicts', async () => {
    const { left, right, sync } = pair();
    const names = Array.from({ length: 1000 }, (_, index) => `e/${index}.txt`);
    writeFiles(left, Object.fromEntries(names.map((name) => [name, `base ${name}`])));
    await sync();
    writeFiles(left, Object.fromEntries(names.map((name) => [name, `left edit ${name}`])));
    let injected = false;
    const inject = (progress: FolderProgress) => {
      if (progress.stage !== 'transferring' || injected) return;
      injected = true; // the plan is made; nothing is applied yet
      writeFiles(right, Object.fromEntries(names.map((name) => [name, `right edit ${name}`])));
    };
    const first = await sync({ onProgress: inject });
    expect(first.status).toBe('succeeded'); // each file fails on its own, with a warning; the session goes on
    expect(first.events.filter((event) => event.level === 'warning' && event.code === 'DESTINATION_CHANGED')).toHaveLength(1000);
    expect(names.filter((name) => readText(right, name) !== `right edit ${name}`)).toEqual([]);
    const next = await sync();
    expect(next.conflicts.filter((conflict) => conflict.kind === 'updateUpdate' && conflict.resolution === 'saved')).toHaveLength(1000);
    expect(names.filter((name) => readText(right, name) !== `right edit ${name}` || readText(left, name) !== `left edit ${name}`)).toEqual([]);
  });

  it('skips a file that changes while it is copied, with a warning, syncs the rest, and copies it next time', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'big.bin': Buffer.alloc(4 * 1024 * 1024, 7), 'small.txt': 's' });
    let time = 0; // a clock that moves 200 ms per reading, so every chunk is reported
    let edited = false;
    const editDuringCopy = (progress: FolderProgress) => {
      if (progress.stage !== 'transferring' || progress.bytesDone < 1024 * 1024 || edited) return;
      edited = true; // the first megabyte of big.bin is in its temporary file
      fs.appendFileSync(path.join(left, 'big.bin'), 'written during the copy');
    };
    const first = await sync({ clock: { now: () => (time += 200) }, onProgress: editDuringCopy });
    expect(first.status).toBe('succeeded');
    expect(first.events).toEqual([{ level: 'warning', code: 'SOURCE_CHANGED', path: 'big.bin', message: expect.stringMatching(/Not written into .*big\.bin.*changed while it was being copied/), text: expect.objectContaining({ key: 'event.notWritten' }) }]);
    expect([readText(right, 'small.txt'), readText(right, 'big.bin')]).toEqual(['s', undefined]);
    expect(scanTree(right).tempFiles).toEqual([]);
    const next = await sync();
    expect([next.events, next.conflicts]).toEqual([[], []]);
    expect(fs.readFileSync(path.join(right, 'big.bin')).equals(fs.readFileSync(path.join(left, 'big.bin')))).toBe(true);
  });

  // A folder on one side and a file on the other at one path, saved for the user ("ask"): the folder's files cannot
  // go under the file meanwhile, and each says why and what to do (not "rename the file where it was created", as an
  // unsafe name did); once the user keeps both, they arrive under the folder's name in that sync.
  it('a folder\'s files wait for its conflict with a file, saying so; keeping both brings them in one sync', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'c.txt/d.txt': 'in the folder' });
    writeFiles(right, { 'c.txt': 'a file' });
    const first = await sync();
    expect(first.conflicts).toEqual([expect.objectContaining({ kind: 'collision', path: 'c.txt', resolution: 'saved' })]);
    expect(first.events).toEqual([
      expect.objectContaining({ level: 'warning', code: 'FILE_IN_THE_WAY', path: 'c.txt/d.txt', message: expect.stringContaining('"c.txt" is a file here but a folder on the other side, so "c.txt/d.txt" cannot go into it. Resolve that conflict in Sync conflicts, or rename one of the two.') }),
    ]);
    const settled = await sync({ resolutions: new Map([['c.txt', 'keepBoth']]) });
    expect([settled.events, settled.conflicts.map((conflict) => conflict.resolution)]).toEqual([[], ['bothKept']]);
    expect(tree(right)).toEqual({ 'c (2).txt': 'a file', 'c.txt': '<dir>', 'c.txt/d.txt': 'in the folder' });
    expect(tree(left)).toEqual(tree(right));
  });

  // A folder moved and a new folder made in its place, where another file takes the name a moved file had: the
  // other side moves the folder (the file along with it) and the other file in. Before, the moved file's own rename
  // then looked for it under its old name, found the other file there, tried to move that one, and failed.
  it('moves a folder whose old place another file takes in the same sync, in one sync', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'sub/e.txt': 'e', 'a.txt': 'a' });
    await sync();
    fs.renameSync(path.join(left, 'sub'), path.join(left, 'moved'));
    fs.mkdirSync(path.join(left, 'sub'));
    fs.renameSync(path.join(left, 'a.txt'), path.join(left, 'sub', 'e.txt'));
    const inode = fs.statSync(path.join(right, 'sub', 'e.txt')).ino;
    const first = await sync();
    expect([first.events, first.conflicts]).toEqual([[], []]);
    expect(tree(right)).toEqual({ moved: '<dir>', 'moved/e.txt': 'e', sub: '<dir>', 'sub/e.txt': 'a' });
    expect(fs.statSync(path.join(right, 'moved', 'e.txt')).ino).toBe(inode); // moved, not copied
    const quiet = await sync();
    expect([quiet.statistics.leftToRight?.received, quiet.statistics.rightToLeft?.received]).toEqual([0, 0]);
  });

  // A folder moved, a file in it edited to another size (so a delete and a new file: an inode is not trusted once its
  // stat changed), a new folder made in its place and another file renamed to the edited file's old name: the other
  // side moves the folder (the deleted file along with it), renames the file into the new folder, and must still
  // delete the first file, which is no longer at its name. Before, it stayed in the moved folder, its item deleted,
  // and the new file was refused there ("DESTINATION_CHANGED"), then met it as a collision.
  it('deletes a file that moved along with its renamed folder while another file took its name', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'sub/e.txt': 'old e', 'sub/keep.txt': 'k', 'a.txt': 'a' });
    await sync();
    fs.renameSync(path.join(left, 'sub'), path.join(left, 'moved'));
    fs.appendFileSync(path.join(left, 'moved', 'e.txt'), ', edited');
    fs.mkdirSync(path.join(left, 'sub'));
    fs.renameSync(path.join(left, 'a.txt'), path.join(left, 'sub', 'e.txt'));
    const first = await sync();
    expect([first.events, first.conflicts]).toEqual([[], []]);
    expect(tree(right)).toEqual({ moved: '<dir>', 'moved/e.txt': 'old e, edited', 'moved/keep.txt': 'k', sub: '<dir>', 'sub/e.txt': 'a' });
    expect(new Trash(right).list().map((entry) => entry.relativePath)).toEqual(['moved/e.txt']); // the old version, kept
    const quiet = await sync();
    expect([quiet.events, quiet.conflicts, quiet.statistics.leftToRight?.received, quiet.statistics.rightToLeft?.received]).toEqual([[], [], 0, 0]);
    expect(tree(right)).toEqual(tree(left));
  });

  // The same moves with the moved file edited in place (same size and time, so still a move) and its edit changing
  // during the copy: the other side moves the folder (the file along with it) and renames the other file onto the
  // freed name, then the edited content fails. The failed item keeps its old name in the metadata, so the rename
  // that took that name is withdrawn too (before, two items held "sub/e.bin" there, and the next scans settled it
  // wrongly); the next sync carries both out again and converges.
  it('withdraws a rename onto the name a failed item left, so no two items hold one name; the next sync converges', async () => {
    const { left, right, sync } = pair();
    writeFiles(left, { 'sub/e.bin': Buffer.alloc(4 * 1024 * 1024, 7), 'a.txt': 'a' });
    fs.utimesSync(path.join(left, 'sub', 'e.bin'), 1_700_000_000, 1_700_000_000); // whole seconds, to set back exactly
    await sync();
    fs.renameSync(path.join(left, 'sub'), path.join(left, 'moved'));
    const moved = path.join(left, 'moved', 'e.bin');
    fs.writeFileSync(moved, Buffer.alloc(4 * 1024 * 1024, 8)); // a same-size rewrite, its time set back: still a move
    fs.utimesSync(moved, 1_700_000_000, 1_700_000_000);
    fs.mkdirSync(path.join(left, 'sub'));
    fs.renameSync(path.join(left, 'a.txt'), path.join(left, 'sub', 'e.bin'));
    let time = 0; // a clock that moves 200 ms per reading, so every chunk is reported
    let edited = false;
    const editDuringCopy = (progress: FolderProgress) => {
      if (progress.stage !== 'transferring' || progress.bytesDone < 1024 * 1024 || edited) return;
      edited = true;
      fs.appendFileSync(moved, 'written during the copy');
    };
    const first = await sync({ clock: { now: () => (time += 200) }, onProgress: editDuringCopy });
    expect(first.events.map((event) => `${event.code} ${event.path}`)).toEqual(['SOURCE_CHANGED moved/e.bin']);
    const store = MetadataStore.open({ path: path.join(right, '.synccenter', 'metadata.db'), replicaId: () => 'unused' });
    const names = store.liveItems().map((record) => record.name).sort();
    store.close();
    expect(names).toEqual(['a.txt', 'moved', 'sub', 'sub/e.bin']); // each withdrawn item where it was
    const second = await sync();
    expect([second.events, second.conflicts]).toEqual([[], []]);
    const last = await sync();
    expect([last.events, last.conflicts, last.statistics.leftToRight?.received, last.statistics.rightToLeft?.received]).toEqual([[], [], 0, 0]);
    expect(Object.keys(tree(right))).toEqual(Object.keys(tree(left)));
    expect(readText(right, 'sub/e.bin')).toBe('a');
    expect(fs.readFileSync(path.join(right, 'moved', 'e.bin')).equals(fs.readFileSync(moved))).toBe(true);
  });

  it('syncs a link to a folder outside the root as a link, never following it', async () => {
    const { left, right, sync } = pair();
    const outside = makeTempDir('outside');
    writeFiles(outside, { 'secret.txt': 'outside the root' });
    fs.symlinkSync(outside, path.join(left, 'escape'));
    await sync();
    expect(fs.lstatSync(path.join(right, 'escape')).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(path.join(right, 'escape'))).toBe(outside);
    writeFiles(right, { 'new.txt': 'n' });
    await sync();
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']); // nothing written through the link
  });
});
