/**
 * The folders handler inside a real core, on real folders: setup and its refusals, a two-way sync, a concurrent
 * edit saved as one conflict with both versions previewed, every resolution choice, a missing folder reported as a
 * clear error that deletes nothing, and the per-root lock.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conflict } from '../../control/schemas.ts';
import { createSyncCenter, type SyncCenter } from '../../control/syncCenter.ts';
import { builtInHandlers } from '../../runtime/builtInHandlers.ts';
import { reportProgress } from './foldersHandler.ts';
import { lockRoot } from './rootLock.ts';

let dir: string;
let core: SyncCenter;
const at = (...parts: string[]) => path.join(dir, ...parts);
const write = (file: string, text: string, mtimeSeconds?: number) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (mtimeSeconds !== undefined) utimesSync(file, mtimeSeconds, mtimeSeconds);
};
const read = (file: string) => readFileSync(file, 'utf8');
const userFiles = (root: string) => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => !name.startsWith('.synccenter')).sort();

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'folders-handler-'));
  mkdirSync(at('laptop'));
  mkdirSync(at('usb'));
  core = await createSyncCenter({ stateDir: at('state'), version: 'test', handlers: builtInHandlers().filter((registration) => registration.id === 'folders') });
});

afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

async function addPair(options: { conflictPolicy?: 'ask' | 'newerWins' | 'leftWins' | 'rightWins' | 'keepBoth'; exclude?: string[] } = {}): Promise<string> {
  const item = await core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('usb')], name: 'Documents', ...options });
  return item.id;
}

const sync = (itemId: string) => core.api.startItemSync({ handlerId: 'folders', itemIds: [itemId] });

/** The item as Sync partnerships lists it: state, errors, open conflicts, last sync. */
async function listed(itemId: string) {
  const [handler] = await core.api.listHandlers({});
  const item = handler?.items.find((candidate) => candidate.id === itemId);
  return { state: item?.state, errorCount: item?.errorCount, conflictCount: item?.conflictCount, lastSyncTime: item?.lastSyncTime };
}

/** Syncs once, edits `report.txt` on both sides, syncs again: one open conflict. */
async function concurrentEdit(itemId: string): Promise<Conflict> {
  write(at('laptop', 'report.txt'), 'first draft\n');
  await sync(itemId);
  write(at('laptop', 'report.txt'), 'laptop edit\nshared line\n', 1_900_000_000);
  write(at('usb', 'report.txt'), 'usb edit\nshared line\n', 1_800_000_000);
  expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 1 });
  const conflicts = await core.api.listConflicts({ itemId });
  expect(conflicts).toHaveLength(1);
  return conflicts[0]!;
}

describe('progress', () => {
  it('says what each stage does: entries compared, files copied of the total with bytes, and a full bar when finishing', () => {
    const reports: [string, number, number][] = [];
    const report = (text: string, done: number, total: number) => {
      reports.push([text, done, total]);
      return 'none' as const;
    };
    reportProgress(report, { stage: 'scanning', filesDone: 120, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
    reportProgress(report, { stage: 'comparing', filesDone: 240, filesTotal: 0, bytesDone: 0, bytesTotal: 0 });
    reportProgress(report, { stage: 'transferring', filesDone: 0, filesTotal: 10, bytesDone: 0, bytesTotal: 10_000_000 });
    reportProgress(report, { stage: 'transferring', filesDone: 1, filesTotal: 10, bytesDone: 512, bytesTotal: 10_000_000 });
    reportProgress(report, { stage: 'transferring', filesDone: 3, filesTotal: 10, bytesDone: 2_500_000, bytesTotal: 10_000_000 });
    reportProgress(report, { stage: 'transferring', filesDone: 5, filesTotal: 10, bytesDone: 5_000_000, bytesTotal: 10_000_000, etaMs: 4000 });
    reportProgress(report, { stage: 'finished', filesDone: 10, filesTotal: 10, bytesDone: 10_000_000, bytesTotal: 10_000_000 });
    expect(reports).toEqual([
      ['Scanning: 120 files found', 0, 0],
      ['Comparing 240 files…', 0, 0],
      ['Copying 0 of 10 files (0 bytes of 10 MB)', 0, 1000],
      ['Copying 1 of 10 files (512 bytes of 10 MB)', 0, 1000],
      ['Copying 3 of 10 files (2.5 MB of 10 MB)', 250, 1000],
      ['Copying 5 of 10 files (5 MB of 10 MB), about 4 s left', 500, 1000],
      ['Finishing…', 1000, 1000],
    ]);
  });
});

describe('folders handler', () => {
  it('is listed as a folder handler with its pair after setup', async () => {
    const itemId = await addPair();
    const handler = (await core.api.listHandlers({})).find((candidate) => candidate.id === 'folders');
    expect(handler).toMatchObject({ name: 'Folders', typeLabel: 'Folder pair', items: [{ id: itemId, name: 'Documents' }] });
  });

  it('refuses a missing folder, a relative path, the same folder twice and nested folders, naming the path', async () => {
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('nowhere')] })).rejects.toMatchObject({ code: 'ROOT_MISSING', message: expect.stringContaining(at('nowhere')) });
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop'), 'usb'] })).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining('"usb"') });
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('laptop')] })).rejects.toMatchObject({ code: 'BAD_PATH' });
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('laptop', 'inner')] })).rejects.toMatchObject({ code: 'BAD_PATH' });
    mkdirSync(at('laptop', '..hidden')); // a name that starts with "..", inside all the same
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop', '..hidden'), at('laptop')] })).rejects.toMatchObject({ code: 'BAD_PATH', message: expect.stringContaining('is inside') });
    expect((await core.api.listHandlers({}))[0]?.items).toEqual([]);
  });

  it('refuses one folder reached through a link, and a folder inside the other through a link, naming both', async () => {
    symlinkSync(at('laptop'), at('alias'));
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('alias')] })).rejects.toMatchObject({
      code: 'BAD_PATH',
      message: `"${at('laptop')}" and "${at('alias')}" are the same place ("${realpathSync(at('laptop'))}", reached through a link or a mount); choose two different places.`,
    });
    mkdirSync(at('laptop', 'photos'));
    symlinkSync(at('laptop', 'photos'), at('photos'));
    await expect(core.api.addItem({ handlerId: 'folders', args: [at('photos'), at('alias')] })).rejects.toMatchObject({
      code: 'BAD_PATH',
      message: `"${at('photos')}" is inside "${at('alias')}" (it is "${realpathSync(at('laptop', 'photos'))}", reached through a link or a mount); a partnership cannot contain itself.`,
    });
    expect((await core.api.listHandlers({}))[0]?.items).toEqual([]);
    // A link to another folder is a place of its own.
    symlinkSync(at('usb'), at('usb-link'));
    expect((await core.api.addItem({ handlerId: 'folders', args: [at('laptop'), at('usb-link')] })).id).toMatch(/^folders-/);
  });

  it('says in Sync results what each side received, in the host\'s language, and nothing for a sync with nothing to do', async () => {
    write(at('laptop', 'a.txt'), 'a');
    write(at('usb', 'b.txt'), 'b');
    const itemId = await addPair();
    const synced = async () => (await core.api.listEvents({ itemId, level: 'information' })).filter((event) => event.name === 'Synced' || event.name === 'Synchronisé').map((event) => event.description);
    await sync(itemId);
    expect(await synced()).toEqual([`"${at('usb')}" received 1 new, 0 changed, 0 moved, 0 deleted. "${at('laptop')}" received 1 new, 0 changed, 0 moved, 0 deleted.`]);
    await sync(itemId);
    expect(await synced()).toHaveLength(1);
    vi.stubEnv('SYNCCENTER_LANG', 'fr');
    try {
      write(at('laptop', 'a.txt'), 'a changed');
      await sync(itemId);
      expect((await synced())[0]).toBe(`« ${at('usb')} » a reçu : 0 nouveau, 1 modifié, 0 déplacé, 0 supprimé.`);
      // A rename is counted as a move, not as a change (nor as a delete and a new file).
      renameSync(at('laptop', 'a.txt'), at('laptop', 'renamed.txt'));
      await sync(itemId);
      expect((await synced())[0]).toBe(`« ${at('usb')} » a reçu : 0 nouveau, 0 modifié, 1 déplacé, 0 supprimé.`);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('syncs files and folders both ways, and leaves excluded files alone', async () => {
    write(at('laptop', 'notes', 'a.txt'), 'from the laptop');
    write(at('usb', 'photos', 'b.jpg'), 'from the usb');
    write(at('usb', 'cache.tmp'), 'never synced');
    const itemId = await addPair({ exclude: ['*.tmp'] });
    expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    expect(read(at('usb', 'notes', 'a.txt'))).toBe('from the laptop');
    expect(read(at('laptop', 'photos', 'b.jpg'))).toBe('from the usb');
    expect(existsSync(at('laptop', 'cache.tmp'))).toBe(false);
    const [item] = (await core.api.listHandlers({}))[0]!.items;
    expect(item).toMatchObject({ state: 'succeeded', errorCount: 0 });
  });

  it('saves a concurrent edit as one conflict with both versions, touching neither, and meets it again without a duplicate', async () => {
    const itemId = await addPair();
    const conflict = await concurrentEdit(itemId);
    expect(conflict).toMatchObject({ kind: 'updateUpdate', name: 'report.txt' });
    expect(conflict.versions.map((version) => [version.side, version.location, version.preview?.kind, version.preview?.text])).toEqual([
      ['left', at('laptop', 'report.txt'), 'text', 'laptop edit\nshared line\n'],
      ['right', at('usb', 'report.txt'), 'text', 'usb edit\nshared line\n'],
    ]);
    expect(read(at('laptop', 'report.txt'))).toBe('laptop edit\nshared line\n');
    expect(read(at('usb', 'report.txt'))).toBe('usb edit\nshared line\n');
    await sync(itemId);
    expect((await core.api.listConflicts({ itemId })).map((open) => open.id)).toEqual([conflict.id]);
  });

  it('a conflict settled outside Sync Center (both files made equal) leaves the list at the next sync', async () => {
    const itemId = await addPair();
    await concurrentEdit(itemId);
    write(at('usb', 'report.txt'), 'laptop edit\nshared line\n');
    expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    expect(await core.api.listConflicts({ itemId })).toEqual([]);
  });

  it.each([
    ['keepLeft', 'laptop edit\nshared line\n'],
    ['keepRight', 'usb edit\nshared line\n'],
    ['keepNewer', 'laptop edit\nshared line\n'],
  ] as const)('%s makes both sides equal and keeps the other version in the trash', async (choice, expected) => {
    const itemId = await addPair();
    const conflict = await concurrentEdit(itemId);
    const before = await listed(itemId);
    expect(before).toMatchObject({ state: 'conflict', conflictCount: 1 });
    await core.api.resolveConflict({ conflictId: conflict.id, choice });
    // The resolution synced the pair: the item is synced now, as of the resolution.
    expect(await listed(itemId)).toMatchObject({ state: 'succeeded', errorCount: 0, conflictCount: 0, lastSyncTime: expect.any(Number) });
    expect((await listed(itemId)).lastSyncTime).toBeGreaterThanOrEqual(before.lastSyncTime ?? Infinity);
    expect(read(at('laptop', 'report.txt'))).toBe(expected);
    expect(read(at('usb', 'report.txt'))).toBe(expected);
    expect(await core.api.listConflicts({})).toEqual([]);
    const trashed = [at('laptop'), at('usb')].filter((root) => existsSync(path.join(root, '.synccenter', 'trash'))).flatMap((root) => readdirSync(path.join(root, '.synccenter', 'trash'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('report.txt')).map((name) => read(path.join(root, '.synccenter', 'trash', name))));
    expect(trashed).toContain(expected.startsWith('laptop') ? 'usb edit\nshared line\n' : 'laptop edit\nshared line\n');
    expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
  });

  it('keepAll keeps both versions on both sides under a conflict-copy name', async () => {
    const itemId = await addPair();
    const conflict = await concurrentEdit(itemId);
    await core.api.resolveConflict({ conflictId: conflict.id, choice: 'keepAll' });
    expect(userFiles(at('laptop'))).toEqual(userFiles(at('usb')));
    const copies = userFiles(at('laptop')).filter((name) => name.includes('(conflict '));
    expect(copies).toHaveLength(1);
    expect(new Set([read(at('laptop', 'report.txt')), read(at('laptop', copies[0]!))])).toEqual(new Set(['laptop edit\nshared line\n', 'usb edit\nshared line\n']));
  });

  it('two different new files at one path collide; keeping one side moves the other to its trash', async () => {
    write(at('laptop', 'plan.txt'), 'laptop plan');
    write(at('usb', 'plan.txt'), 'usb plan');
    const itemId = await addPair();
    expect(await sync(itemId)).toMatchObject({ conflicts: 1 });
    const [conflict] = await core.api.listConflicts({ itemId });
    expect(conflict).toMatchObject({ kind: 'collision', name: 'plan.txt' });
    await core.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepRight' });
    expect(read(at('laptop', 'plan.txt'))).toBe('usb plan');
    expect(read(at('usb', 'plan.txt'))).toBe('usb plan');
    expect(userFiles(at('laptop', '.synccenter', 'trash')).some((name) => name.endsWith('plan.txt'))).toBe(true);
  });

  it('"remove from sync set" excludes the path from then on', async () => {
    const itemId = await addPair();
    const conflict = await concurrentEdit(itemId);
    await core.api.resolveConflict({ conflictId: conflict.id, choice: 'removeFromSyncSet' });
    expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    expect(read(at('laptop', 'report.txt'))).toBe('laptop edit\nshared line\n');
    expect(read(at('usb', 'report.txt'))).toBe('usb edit\nshared line\n');
  });

  it('a policy settles the conflict by itself and says so in Sync results', async () => {
    const itemId = await addPair({ conflictPolicy: 'newerWins' });
    write(at('laptop', 'report.txt'), 'v1');
    await sync(itemId);
    write(at('laptop', 'report.txt'), 'laptop newer', 1_900_000_000);
    write(at('usb', 'report.txt'), 'usb older', 1_800_000_000);
    expect(await sync(itemId)).toMatchObject({ conflicts: 0 });
    expect(read(at('usb', 'report.txt'))).toBe('laptop newer');
    const events = await core.api.listEvents({ level: 'information' });
    expect(events.map((event) => event.description)).toContain('"report.txt": the first side\'s version was kept (the other is in the trash)');
  });

  it('an update against a delete keeps the update and says so', async () => {
    const itemId = await addPair();
    write(at('laptop', 'keep.txt'), 'v1');
    await sync(itemId);
    rmSync(at('usb', 'keep.txt'));
    write(at('laptop', 'keep.txt'), 'v2 longer', 1_900_000_000);
    await sync(itemId);
    expect(read(at('usb', 'keep.txt'))).toBe('v2 longer');
    expect((await core.api.listEvents({ level: 'information' })).map((event) => event.name)).toContain('Change kept over a delete');
  });

  it('a folder that went missing fails the item with a clear error and deletes nothing on the other side', async () => {
    write(at('laptop', 'precious.txt'), 'keep me');
    const itemId = await addPair();
    await sync(itemId);
    rmSync(at('usb'), { recursive: true });
    expect(await sync(itemId)).toMatchObject({ status: 'failed' });
    const [event] = await core.api.listEvents({ level: 'error' });
    expect(event?.description).toContain(at('usb'));
    expect(event?.description).toContain('ROOT_MISSING');
    // An absent folder offers no fresh start: the only way on is to bring it back.
    expect(event?.description).toContain('Reconnect the drive or share (or create the folder again), then sync.');
    expect(await core.api.listConflicts({ itemId })).toEqual([]);
    expect(read(at('laptop', 'precious.txt'))).toBe('keep me');
  });

  it('describes its item for Properties and Browse: both folders, its options, and what the last session did', async () => {
    write(at('laptop', 'a.txt'), 'a');
    write(at('laptop', 'b.txt'), 'b');
    write(at('usb', 'c.txt'), 'c');
    const itemId = await addPair({ conflictPolicy: 'newerWins', exclude: ['*.tmp'] });
    const [handler] = await core.api.listHandlers({});
    expect(handler?.items[0]?.browsable).toBe(true);
    expect(await core.api.getItemDetails({ handlerId: 'folders', itemId })).toEqual({
      handlerId: 'folders',
      itemId,
      browsable: true,
      locations: [
        { side: 'left', path: at('laptop') },
        { side: 'right', path: at('usb') },
      ],
      conflictPolicy: 'newerWins',
      exclude: ['*.tmp'],
      lastSession: null,
    });
    await sync(itemId);
    const { lastSession } = await core.api.getItemDetails({ handlerId: 'folders', itemId });
    expect(lastSession).toMatchObject({ outcome: 'succeeded', conflicts: 0, message: null, toRight: { created: 2, updated: 0, deleted: 0, failed: 0 }, toLeft: { created: 1, deleted: 0 } });
    expect(lastSession!.finishedTime).toBeGreaterThanOrEqual(lastSession!.startedTime);

    rmSync(at('usb'), { recursive: true });
    await sync(itemId);
    expect((await core.api.getItemDetails({ handlerId: 'folders', itemId })).lastSession).toMatchObject({ outcome: 'failed', toLeft: null, toRight: null, message: expect.stringContaining(at('usb')) });
    await expect(core.api.getItemDetails({ handlerId: 'folders', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"ghost"') });
  });

  it('a root locked by another live session fails with BUSY and is free again afterwards', async () => {
    const itemId = await addPair();
    const lock = lockRoot(at('usb'));
    try {
      expect(await sync(itemId)).toMatchObject({ status: 'failed' });
      expect((await core.api.listEvents({ level: 'error' }))[0]?.description).toContain('being synced by another session');
    } finally {
      lock.release();
    }
    expect(await sync(itemId)).toMatchObject({ status: 'succeeded' });
  });

  describe('safety guards ask the user through Sync conflicts', () => {
    async function massDelete(): Promise<{ itemId: string; conflict: Conflict }> {
      for (let index = 0; index < 10; index += 1) write(at('laptop', `file-${index}.txt`), `content ${index}`);
      const itemId = await addPair();
      await sync(itemId);
      write(at('laptop', 'file-9.txt'), 'content 9, edited'); // a second sync appends to the scan-state log
      await sync(itemId);
      for (let index = 0; index < 8; index += 1) rmSync(at('laptop', `file-${index}.txt`));
      expect(await sync(itemId)).toMatchObject({ status: 'failed' });
      expect(userFiles(at('usb'))).toHaveLength(10);
      const [conflict] = await core.api.listConflicts({ itemId });
      expect(conflict).toMatchObject({ kind: 'massDelete', name: at('laptop'), description: expect.stringContaining('8 of 10 files were deleted') });
      expect(conflict?.versions.map((version) => [version.side, version.stopped ?? false])).toEqual([['left', true], ['right', false]]);
      return { itemId, conflict: conflict! };
    }

    it('a mass delete stops; keeping the other side brings the files back', async () => {
      const { itemId, conflict } = await massDelete();
      const setAsideBefore = readdirSync(at('laptop', '.synccenter')).filter((name) => name.startsWith('set-aside-'));
      expect(await listed(itemId)).toMatchObject({ state: 'failed', errorCount: 1 });
      await core.api.resolveConflict({ conflictId: conflict.id, choice: 'keepRight' });
      // No longer shown as failed: the decision synced the pair, and Properties says what that sync did.
      expect(await listed(itemId)).toMatchObject({ state: 'succeeded', errorCount: 0, conflictCount: 0 });
      expect((await core.api.getItemDetails({ handlerId: 'folders', itemId })).lastSession).toMatchObject({ outcome: 'succeeded', message: null, conflicts: 0, toLeft: { created: 8, deleted: 0 }, toRight: { deleted: 0 } });
      expect(userFiles(at('laptop'))).toHaveLength(10);
      // The deleting side's sync data (database, scan state base and log) moved aside whole, never deleted.
      const setAside = readdirSync(at('laptop', '.synccenter')).filter((name) => name.startsWith('set-aside-') && !setAsideBefore.includes(name));
      expect(setAside).toHaveLength(1);
      expect(readdirSync(at('laptop', '.synccenter', setAside[0]!))).toEqual(expect.arrayContaining(['metadata.db', 'scan-state.tsv', 'scan-state.log']));
      expect(read(at('laptop', 'file-3.txt'))).toBe('content 3');
      expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    });

    it('a mass delete stops; keeping the deleting side confirms it, and the files wait in the trash', async () => {
      const { itemId, conflict } = await massDelete();
      await core.api.resolveConflict({ conflictId: conflict.id, choice: 'keepLeft' });
      expect(userFiles(at('usb'))).toEqual(['file-8.txt', 'file-9.txt']);
      // The 8 deleted files, and file-9's version from before its edit.
      expect(userFiles(at('usb', '.synccenter', 'trash')).filter((name) => name.endsWith('.txt'))).toHaveLength(9);
      expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    });

    it('a side whose sync data vanished (an unmounted drive) stops; keeping the other side starts it afresh, deleting nothing', async () => {
      write(at('laptop', 'a.txt'), 'a');
      const itemId = await addPair();
      await sync(itemId);
      rmSync(at('usb'), { recursive: true });
      mkdirSync(at('usb'));
      write(at('usb', 'other.txt'), 'found on the empty mount point');
      expect(await sync(itemId)).toMatchObject({ status: 'failed' });
      expect(read(at('laptop', 'a.txt'))).toBe('a');
      const [conflict] = await core.api.listConflicts({ itemId });
      expect(conflict).toMatchObject({ kind: 'rootMissing', name: at('usb') });
      expect((await core.api.listEvents({ itemId, level: 'error' }))[0]?.description).toContain('choose in Sync conflicts to start this side afresh');
      await expect(core.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepRight' })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringContaining('reconnect') });
      await core.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepLeft' });
      expect(await listed(itemId)).toMatchObject({ state: 'succeeded', errorCount: 0, conflictCount: 0 });
      expect(userFiles(at('laptop'))).toEqual(['a.txt', 'other.txt']);
      expect(userFiles(at('usb'))).toEqual(['a.txt', 'other.txt']);
      expect(await sync(itemId)).toMatchObject({ status: 'succeeded', conflicts: 0 });
    });
  });
});
