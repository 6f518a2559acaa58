/**
 * Carries out one batch of engine writes on a folder, in an order a file system accepts: deletes of files,
 * renames (shallow first, so a folder moves with its content), folders (shallow first), file contents (all
 * prepared, then installed), mode changes, and last the folder deletes (deepest first, each only if empty).
 * Every overwrite and delete is checked against the index (what detection saw); the batch's folders are
 * fsynced before returning, and the engine commits metadata only after that.
 *
 * A write that fails (permission denied, a full disk, a file changed meanwhile) fails that item only: the others
 * go on, and the failures are returned for the engine to withdraw (their items stay unsynced and are retried).
 * The index notes each item's changes, so a withdrawn item's partial effects can be taken back.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ReplicaWrite, WriteFailure } from '../../engine/index.ts';
import type { FileRecord } from './changeDetector.ts';
import type { CopyRequest, PreparedFile } from './copyToTemp.ts';
import { expectationOf } from './destinationCheck.ts';
import { CanceledError, changeDetail, DestinationChangedError, SourceChangedError, toFolderError, UnsafeNameError, type FolderError } from './errors.ts';
import type { FileTransfer, ItemResult } from './fileTransfer.ts';
import { flushFileSystemsOf, syncFile } from './fileSystemSync.ts';
import { CONTENT_UNIT, KIND_UNIT, MODE_UNIT, parseMode, type ContentSource, type FolderUnit } from './folderUnits.ts';
import { validateRelativePath } from './pathSafety.ts';
import type { ReplicaIndex } from './replicaIndex.ts';
import { asideNameFor, isTempName, metadataFolderIn } from './tempNames.ts';
import type { ScanEntry } from './treeScanner.ts';

/** The replica side of a batch. */
export interface WriteTarget {
  readonly root: string;
  readonly index: ReplicaIndex;
  readonly transfer: FileTransfer;
  /**
   * Called for progress when a file needs no copy (its content is already in place); a copied file is counted by the
   * transfer as its copy completes (`TransferOptions.onFileCopied`).
   */
  readonly onFileDone?: (bytes: number) => void;
  /** False where the file system keeps no Unix modes (FAT): mode changes are then not applied here. */
  readonly keepModes?: boolean;
  /** Collects the folders a delete (or a file taking their place) left in place because something is still inside. */
  readonly keptFolders?: Set<string>;
}

/** An item that could not be written here, with the typed reason. */
export interface FolderWriteFailure extends WriteFailure {
  readonly error: FolderError;
}

/** Runs one write's work, noting its index changes under its item; a failure is collected, not thrown. */
type Attempt = (write: ReplicaWrite<FolderUnit>, run: () => unknown) => void;

interface Upsert {
  readonly write: ReplicaWrite<FolderUnit>;
  readonly kind: string | undefined;
  readonly content: ContentSource | null | undefined;
  readonly mode: string | null | undefined;
}

const depth = (name: string) => name.split('/').length;

/**
 * Applies `writes` to `target` and returns the items that failed (everything else is done). Throws
 * `CanceledError` when stopped: what was written is then durable and consistent, and the batch is not committed.
 */
export async function applyFolderWrites(target: WriteTarget, writes: readonly ReplicaWrite<FolderUnit>[]): Promise<FolderWriteFailure[]> {
  const failures: FolderWriteFailure[] = [];
  target.index.startJournal();
  const attempt: Attempt = (write, run) => {
    target.index.ownedBy(write.itemId);
    try {
      run();
    } catch (error) {
      failures.push({ itemId: write.itemId, error: toFolderError(error, write.name, 'writing') });
    } finally {
      target.index.ownedBy(undefined);
    }
  };
  // A name that leaves the root or is reserved (damaged or hostile metadata on the other side) fails its item.
  const safe = writes.filter((write) => {
    try {
      checkItemName(write.name);
      if (write.previousName !== null) checkItemName(write.previousName);
      return true;
    } catch (error) {
      failures.push({ itemId: write.itemId, error: toFolderError(error, write.name, 'writing') });
      return false;
    }
  });
  const deletes = safe.filter((write) => write.kind === 'delete');
  const upserts = safe.filter((write) => write.kind === 'upsert').map(toUpsert);
  const isFolder = (name: string) => target.index.byName(name)?.kind === 'directory';
  // A name deleted and upserted in one batch (a merged collision) is replaced in place, not deleted.
  const upserted = new Set(upserts.map((item) => item.write.name));
  const replaced = new Set(deletes.filter((write) => upserted.has(write.name)).map((write) => write.name));
  for (const write of deletes.filter((item) => !isFolder(item.name) && !upserted.has(item.name))) attempt(write, () => deleteEntry(target, write.name));
  const renames = upserts.filter((item) => item.write.previousName !== null && item.write.previousName !== item.write.name);
  // Folders first, shallow first: a folder moves with its content, and a file moving into a renamed folder
  // must not create that folder before the folder itself arrives.
  const renameOrder = (item: Upsert) => (isFolder(item.write.previousName ?? '') ? 0 : 1000) + depth(item.write.previousName ?? '');
  const leftBehind: string[] = [];
  // Where an item stays because its rename failed: another item's write there would replace it.
  const stuck = new Set<string>();
  for (const item of renames.sort((a, b) => renameOrder(a) - renameOrder(b))) {
    const failed = failures.length;
    attempt(item.write, () => rename(target, item.write.previousName ?? '', item.write.name, leftBehind, replaced));
    const still = failures.length > failed ? target.index.byName(item.write.previousName ?? '') : undefined;
    if (still !== undefined) stuck.add(still.path);
  }
  // A file deleted at a name another item takes is replaced there, not deleted first; one that moved along with a
  // folder this batch renamed is no longer at that name, so it goes now (else it would outlive its item there).
  for (const write of deletes) {
    const along = replaced.has(write.name) ? target.index.movedAlongFrom(target.index.diskPathFor(write.name)) : undefined;
    if (along !== undefined) attempt(write, () => deleteMovedAlong(target, along));
  }
  // An item with no kind, neither in the write nor here, or a file or link whose content comes as "none", came
  // from a source that could not find it under its name (its replica has not yet scanned a move made by this
  // sync): nothing to write, and recording the content as written would make this side claim a version it does
  // not hold; it fails and is synced next time.
  const unknown = new Set(upserts.filter((item) => {
    const kind = kindAfter(target, item);
    return kind === undefined || (kind !== 'directory' && item.content === null && item.write.units.has(CONTENT_UNIT));
  }));
  for (const item of unknown) attempt(item.write, () => {
    throw new SourceChangedError(item.write.name, changeDetail('notSeenYet'));
  });
  const known = upserts.filter((item) => !unknown.has(item));
  const folders = known.filter((item) => kindAfter(target, item) === 'directory').sort((a, b) => depth(a.write.name) - depth(b.write.name));
  for (const item of folders) attempt(item.write, () => ensureFolder(target, item, stuck));
  await writeContents(target, known.filter((item) => kindAfter(target, item) !== 'directory'), attempt, stuck);
  // Last, deepest first: the folders this batch deletes and the ones renames merged away (each only if empty), in
  // one pass, so a folder deleted around a merged-away one finds it gone rather than staying behind, empty.
  const folderDeletes = deletes.filter((item) => isFolder(item.name) && !upserted.has(item.name));
  const removals = [
    ...folderDeletes.map((write) => ({ depth: depth(target.index.byName(write.name)?.path ?? write.name), remove: () => attempt(write, () => deleteFolder(target, write.name, failures, stuck)) })),
    ...leftBehind.map((diskPath) => ({ depth: depth(diskPath), remove: () => (target.transfer.removeDirectory(diskPath) !== 'notEmpty' ? target.index.remove(diskPath) : undefined) })),
  ];
  for (const removal of removals.sort((a, b) => b.depth - a.depth)) removal.remove();
  await target.transfer.flush();
  // Stop: what was written is durable and consistent, the batch is not committed; say "canceled", not "failed".
  const canceled = failures.find((failure) => failure.error instanceof CanceledError);
  if (canceled !== undefined) throw canceled.error;
  return failures;
}

/** Throws `UnsafeNameError` for a name that is not a plain path inside the root, or that Sync Center reserves. */
function checkItemName(name: string): void {
  const segments = validateRelativePath(name);
  // Inside a metadata folder (a file may end in ".synccenter"; a folder so named is never scanned, so never sent).
  const reserved = metadataFolderIn(segments);
  if (reserved !== undefined) throw new UnsafeNameError(name, 'reserved', { folder: reserved });
  if (isTempName(segments.at(-1) ?? '')) throw new UnsafeNameError(name, 'tempName');
}

function toUpsert(write: ReplicaWrite<FolderUnit>): Upsert {
  const kind = write.units.get(KIND_UNIT);
  const content = write.units.get(CONTENT_UNIT);
  const mode = write.units.get(MODE_UNIT);
  return {
    write,
    kind: typeof kind === 'string' ? kind : undefined,
    content: content === null || content === undefined || typeof content !== 'string' ? (content as ContentSource | null | undefined) : undefined,
    mode: mode === null ? null : typeof mode === 'string' ? mode : undefined,
  };
}

/** The kind the item has after this write (a partial write keeps the current kind). */
function kindAfter(target: WriteTarget, item: Upsert): string | undefined {
  return item.kind ?? target.index.byName(item.write.name)?.kind;
}

function deleteEntry(target: WriteTarget, name: string): void {
  const record = target.index.byName(name);
  if (record === undefined) return; // already gone here
  target.transfer.remove(record.path, expectationOf(record));
  target.index.remove(record.path);
}

/** Deletes the file at `diskPath`, moved there along with its folder, if it is still as the plan saw it. */
function deleteMovedAlong(target: WriteTarget, diskPath: string): void {
  const record = target.index.at(diskPath);
  if (record === undefined || record.kind === 'directory') return;
  target.transfer.remove(record.path, expectationOf(record));
  target.index.remove(record.path);
}

/**
 * Removes a folder whose synced content is gone. One that still holds something (an excluded file, something
 * new) stays, and so does its record; if what it holds is content this batch failed to delete, or an item whose
 * rename away failed, the folder's delete fails too, and is retried at the next sync.
 */
function deleteFolder(target: WriteTarget, name: string, failures: readonly FolderWriteFailure[], stuck: ReadonlySet<string>): void {
  const record = target.index.byName(name);
  if (record === undefined) return;
  if (target.transfer.removeDirectory(record.path) !== 'notEmpty') {
    target.index.remove(record.path);
    return;
  }
  const inside = failures.find((failure) => failure.error.path.startsWith(`${record.path}/`));
  if (inside !== undefined) throw inside.error;
  // An item whose rename away failed in this batch is still inside: the delete waits for it (retried next sync)
  // instead of leaving this folder behind, no longer an item here, to outlive it empty. (Not any synced item
  // inside: one created here that the deleting replica never saw keeps the folder alive, as it should.)
  for (const staying of stuck) {
    if (staying.startsWith(`${record.path}/`)) throw new DestinationChangedError(name, changeDetail('insideStuck', { inside: staying }));
  }
  target.keptFolders?.add(record.path);
}

/**
 * Renames an item here. A folder whose new name is already a folder (its content arrived first, in an earlier
 * batch) is merged instead: its remaining content moves by its own writes and the old folder is removed at the
 * end of the batch if empty (`leftBehind`). A file the batch deletes at the new name (the other half of a merged
 * collision, `replaced`) goes to the trash first, if it is still as the plan saw it.
 */
function rename(target: WriteTarget, previousName: string, name: string, leftBehind: string[], replaced: ReadonlySet<string>): void {
  checkFolderCase(target, name);
  const to = target.index.diskPathFor(name);
  // Moved along with its renamed folder to its own new name: known by that name now. (Its old place may hold
  // another item already, which an earlier rename of this batch gave the name it left.)
  if (target.index.movedFrom(to) === target.index.diskPathFor(previousName)) {
    target.index.settled(to);
    return;
  }
  // Moved along with a folder this batch renamed, somewhere else than its own new name: it moves from there.
  const along = target.index.movedFrom(to) === undefined ? target.index.movedAlongFrom(target.index.diskPathFor(previousName)) : undefined;
  const record = along !== undefined ? target.index.at(along) : target.index.byName(previousName);
  if (record === undefined || record.path === to) {
    // Moved along with its renamed folder (settled: known by its new name now), or absent: contents create it.
    const movedFrom = target.index.movedFrom(to);
    if (movedFrom !== undefined && movedFrom !== target.index.diskPathFor(previousName)) throw movedAlongInTheWay(name);
    target.index.settled(to);
    return;
  }
  const occupant = target.index.at(to);
  if (record.kind === 'directory' && occupant?.kind === 'directory') {
    leftBehind.push(record.path);
    return;
  }
  if (record.kind !== 'directory' && occupant?.kind === 'directory' && replaced.has(name) && record.path.startsWith(`${occupant.path}/`)) {
    takeFolderPlace(target, record, occupant, name);
    return;
  }
  if (occupant !== undefined && occupant.kind !== 'directory' && replaced.has(name)) {
    target.transfer.remove(occupant.path, expectationOf(occupant));
    target.index.remove(occupant.path);
  }
  const from = to.startsWith(`${record.path}/`) ? moveAside(target, record) : record;
  const moved = target.transfer.move(from.path, to, expectationOf(from));
  target.index.move(from.path, to, toRecord(moved, from.hash));
}

/**
 * A file moving under its own place (`c.txt` to `c.txt/d.txt`: a folder takes its name) first moves beside it,
 * under a visible name no user file has: a crash right after leaves it there, found by the next scan as that
 * file renamed, never cleaned away like a temporary file.
 */
function moveAside(target: WriteTarget, record: FileRecord): FileRecord {
  const aside = asideNameFor(record.path);
  const moved = toRecord(target.transfer.move(record.path, aside, expectationOf(record)), record.hash);
  target.index.move(record.path, aside, moved);
  return moved;
}

/**
 * A file taking the place of the folder around it, which this batch deletes (`c.txt/d.txt` to `c.txt`: on this
 * replica a folder was moved to `c.txt`; another deleted that folder while a third renamed the file to `c.txt`): it
 * steps out beside the folder under a visible name (as `moveAside`), the folder goes if nothing else is in it, and
 * the file moves in. A folder that still holds something keeps the file, which goes back, and the write fails (it
 * is retried at the next sync).
 */
function takeFolderPlace(target: WriteTarget, record: FileRecord, folder: FileRecord, name: string): void {
  const aside = asideNameFor(folder.path);
  const stepped = toRecord(target.transfer.move(record.path, aside, expectationOf(record)), record.hash);
  target.index.move(record.path, aside, stepped);
  if (target.transfer.removeDirectory(folder.path) === 'notEmpty') {
    target.index.move(aside, record.path, toRecord(target.transfer.move(aside, record.path, expectationOf(stepped)), record.hash));
    target.keptFolders?.add(folder.path);
    throw new DestinationChangedError(name, changeDetail('folderNotEmpty'));
  }
  target.index.remove(folder.path);
  target.index.move(aside, folder.path, toRecord(target.transfer.move(aside, folder.path, expectationOf(stepped)), record.hash));
}

/**
 * A write naming a place that holds another item, moved there with its folder by this sync and still known by its
 * old name here: it is left alone; the next scan reports that move, and the next sync settles the two.
 */
function movedAlongInTheWay(name: string): DestinationChangedError {
  return new DestinationChangedError(name, changeDetail('movedAlongThere'));
}

/**
 * On a case-insensitive side, a write whose folder would land in another folder differing only in case (two
 * folders `Docs` and `docs`, a collision the user has not settled yet) fails instead: the file system would file it
 * in the other folder, and the next scan would carry that move back to every replica, merging the two folders
 * before the user chose. It is written once the collision is settled.
 */
function folderCaseConflict(target: WriteTarget, name: string): DestinationChangedError | undefined {
  const other = target.index.foldedFolderOnTheWay(name);
  return other === undefined ? undefined : new DestinationChangedError(name, changeDetail('folderCase', { other }));
}

function checkFolderCase(target: WriteTarget, name: string): void {
  const conflict = folderCaseConflict(target, name);
  if (conflict !== undefined) throw conflict;
}

/** A write naming a place that holds another item whose rename away failed in this batch: it is left alone. */
function stuckInTheWay(name: string): DestinationChangedError {
  return new DestinationChangedError(name, changeDetail('stuckThere'));
}

function ensureFolder(target: WriteTarget, item: Upsert, stuck: ReadonlySet<string>): void {
  checkFolderCase(target, item.write.name);
  const diskPath = target.index.diskPathFor(item.write.name);
  if (target.index.movedFrom(diskPath) !== undefined) throw movedAlongInTheWay(item.write.name);
  const existing = target.index.at(diskPath);
  if (existing !== undefined && existing.kind !== 'directory') {
    if (stuck.has(existing.path)) throw stuckInTheWay(item.write.name);
    target.transfer.remove(existing.path, expectationOf(existing)); // a file became a folder: the file goes to the trash
    target.index.remove(existing.path);
  }
  const mode = typeof item.mode === 'string' ? parseMode(item.mode) : (existing?.mode ?? 0o755);
  target.index.set(toRecord(target.transfer.ensureDirectory(diskPath, mode), undefined));
}

/** Prepares every file content (copies run concurrently), then installs them one by one; links are recreated. */
async function writeContents(target: WriteTarget, items: readonly Upsert[], attempt: Attempt, stuck: ReadonlySet<string>): Promise<void> {
  const sourceOf = (item: Upsert) => (item.content === undefined || item.content === null ? undefined : item.content);
  const twins = new Map<Upsert, FileRecord>();
  for (const item of items) {
    const twin = sourceOf(item)?.kind === 'file' ? twinOf(target, item) : undefined;
    if (twin !== undefined) twins.set(item, twin);
  }
  for (const [item, twin] of twins) attempt(item.write, () => keepTwin(target, item, twin));
  const files = items.filter((item) => sourceOf(item)?.kind === 'file' && !twins.has(item));
  const install = (position: number, result: ItemResult<PreparedFile> | undefined) => {
    const item = files[position] as Upsert;
    attempt(item.write, () => {
      if (result === undefined || !result.ok) throw result?.error ?? new Error('not prepared');
      installContent(target, item, result.value, stuck);
    });
  };
  // A few files: each copy is fsynced, and they are installed once all are copied.
  if (files.length < BATCH_FLUSH_FROM) {
    const prepared = await target.transfer.prepareAll(files.map((item) => copyRequest(target, item)), PREPARE_CONCURRENCY);
    prepared.forEach((result, position) => install(position, result));
  } else {
    await copyAndInstallInGroups(target, files.map((item) => ({ ...copyRequest(target, item), skipFsync: true })), install);
  }
  for (const item of items.filter((entry) => sourceOf(entry)?.kind === 'symlink')) {
    attempt(item.write, () => installContent(target, item, prepareLink(target, item), stuck));
  }
  for (const item of items.filter((entry) => entry.content === undefined && typeof entry.mode === 'string')) {
    attempt(item.write, () => changeMode(target, item.write.name, parseMode(item.mode as string)));
  }
}

/**
 * Many files: copies without a per-file fsync, installed in groups while the rest still copy. Each time
 * `INSTALL_GROUP` copies have ended (fewer as the copies run out), a flush of each file system holding them
 * (`flushFileSystemsOf`: `sync -f` by the resident flusher; an fsync each where that is unavailable) makes that group's
 * data durable, and only then are its files installed, a few dozen at a time with the event loop let in between so
 * the copying threads are kept fed.
 * Groups install one after another, in the order their copies ended; a file refused for room or never copied
 * (Stop) fails in the last group. Installing beside the copies, not after them all, takes the install's links,
 * checks and bookkeeping off the batch's critical path.
 */
async function copyAndInstallInGroups(target: WriteTarget, requests: readonly Omit<CopyRequest, 'destinationRoot'>[], install: (position: number, result: ItemResult<PreparedFile> | undefined) => void): Promise<void> {
  // Copies that ended since the last group was handed over, and every position that reported an end.
  let ended = new Map<number, ItemResult<PreparedFile>>();
  const reported = new Set<number>();
  let installing: Promise<void> = Promise.resolve();
  let failure: { readonly error: unknown } | undefined;
  const installGroup = (group: ReadonlyMap<number, ItemResult<PreparedFile>>) => {
    installing = installing
      .then(async () => {
        if (failure !== undefined) return;
        const temps = [...group.values()].flatMap((result) => (result.ok ? [result.value.tempPath] : []));
        for (const tempPath of await flushFileSystemsOf(temps, 'files')) syncFile(tempPath);
        let done = 0;
        for (const [position, result] of group) {
          install(position, result);
          if (++done % INSTALLS_BETWEEN_YIELDS === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      })
      .catch((error: unknown) => {
        failure ??= { error };
      });
  };
  const onPrepared = (position: number, result: ItemResult<PreparedFile>) => {
    ended.set(position, result);
    reported.add(position);
    // Groups shrink towards the end (half of what is still copying, down to a floor), so that what is left to
    // install once the last copy ends is a small group, not up to a whole one.
    const copying = requests.length - reported.size;
    if (ended.size < Math.min(INSTALL_GROUP, Math.max(LAST_GROUPS, Math.ceil(copying / 2)))) return;
    installGroup(ended);
    ended = new Map();
  };
  let prepared: ItemResult<PreparedFile>[];
  try {
    prepared = await target.transfer.prepareAll(requests, PREPARE_CONCURRENCY, onPrepared);
  } catch (error) {
    await installing; // nothing of this batch runs on once the error is out
    throw error;
  }
  // The last group, with whatever never reported an end (refused for room, not started before Stop).
  prepared.forEach((result, position) => {
    if (!reported.has(position)) ended.set(position, result);
  });
  installGroup(ended);
  await installing;
  if (failure !== undefined) throw failure.error;
}

function copyRequest(target: WriteTarget, item: Upsert) {
  const source = item.content as ContentSource;
  const destinationPath = target.index.diskPathFor(item.write.name);
  // A source that keeps no modes (FAT) has none to give: the item's mode if it came along, else the file's here.
  const keep = source.keepsModes === false ? (typeof item.mode === 'string' ? parseMode(item.mode) : target.index.at(destinationPath)?.mode) : undefined;
  return { sourceRoot: source.root, sourcePath: source.diskPath, destinationPath, expectedSource: source, ...(keep === undefined ? {} : { mode: keep }) };
}

function prepareLink(target: WriteTarget, item: Upsert): PreparedFile {
  const source = item.content as ContentSource;
  return target.transfer.prepareSymlink(target.index.diskPathFor(item.write.name), source.linkTarget ?? '', source.hash);
}

/**
 * The file already at the item's place here when it holds exactly the content the write brings (same content hash,
 * as the plan hashed it): two sides that got the same file (copied by hand before the first sync, or the same edit
 * made on both) merge without copying a byte or filling the trash.
 */
function twinOf(target: WriteTarget, item: Upsert): FileRecord | undefined {
  const source = item.content as ContentSource;
  const diskPath = target.index.diskPathFor(item.write.name);
  const existing = target.index.movedFrom(diskPath) === undefined ? target.index.at(diskPath) : undefined; // not another item's
  return existing?.kind === 'file' && existing.hash !== undefined && existing.hash === source.hash ? existing : undefined;
}

/** Keeps a twin in place if it is still what the plan saw (else the item fails and is retried), with the write's mode. */
function keepTwin(target: WriteTarget, item: Upsert, twin: FileRecord): void {
  const entry = withMode(target, item, target.transfer.confirm(twin.path, expectationOf(twin)));
  target.index.set(toRecord(entry, twin.hash));
  target.onFileDone?.(twin.size);
}

/** Puts prepared content in place over what detection saw (a folder in the way must already be empty). */
function installContent(target: WriteTarget, item: Upsert, file: PreparedFile, stuck: ReadonlySet<string>): void {
  const blocked =
    folderCaseConflict(target, item.write.name) ??
    (stuck.has(file.destinationPath) ? stuckInTheWay(item.write.name) : target.index.movedFrom(file.destinationPath) !== undefined ? movedAlongInTheWay(item.write.name) : undefined);
  if (blocked !== undefined) {
    target.transfer.discard(file);
    throw blocked;
  }
  const existing = target.index.at(file.destinationPath);
  if (existing?.kind === 'directory') {
    if (target.transfer.removeDirectory(existing.path) === 'notEmpty') {
      target.keptFolders?.add(existing.path);
      target.transfer.discard(file);
      throw toFolderError(Object.assign(new Error('ENOTEMPTY'), { code: 'ENOTEMPTY' }), existing.path, 'replacing the folder');
    }
    target.index.remove(existing.path);
  }
  const { entry } = target.transfer.install(file, expectationOf(target.index.at(file.destinationPath)));
  target.index.set(toRecord(file.kind === 'file' ? withMode(target, item, entry) : entry, file.hash));
}

/** A file's entry after giving it the write's mode, where that differs and the side keeps modes. */
function withMode(target: WriteTarget, item: Upsert, entry: ScanEntry): ScanEntry {
  if (typeof item.mode !== 'string' || entry.mode === parseMode(item.mode) || target.keepModes === false) return entry;
  // Normally the file already has the source's mode; re-stat after a chmod, which moves the ctime.
  const absolute = path.join(target.root, entry.path);
  fs.chmodSync(absolute, parseMode(item.mode));
  return { ...entry, mode: parseMode(item.mode), ctimeNs: fs.lstatSync(absolute, { bigint: true }).ctimeNs };
}

function changeMode(target: WriteTarget, name: string, mode: number): void {
  const record = target.index.byName(name);
  if (record === undefined || record.kind === 'symlink' || target.keepModes === false) return;
  if (record.kind === 'directory') {
    target.index.set(toRecord(target.transfer.ensureDirectory(record.path, mode), undefined));
    return;
  }
  fs.chmodSync(path.join(target.root, record.path), mode);
  target.index.set({ ...record, mode, ctimeNs: fs.lstatSync(path.join(target.root, record.path), { bigint: true }).ctimeNs });
}

/** A scan entry as a record, with its content hash. */
export function toRecord(entry: ScanEntry, hash: string | undefined): FileRecord {
  return hash === undefined ? { ...entry } : { ...entry, hash };
}

// Copies in flight at once: each ends with an fsync, and overlapping many of them is what keeps a durable
// initial sync near the speed of a plain copy.
const PREPARE_CONCURRENCY = 16;

// From this many files in a batch, one file-system flush is cheaper than an fsync per file.
const BATCH_FLUSH_FROM = 16;

// Copies whose end starts a group's flush and install (`copyAndInstallInGroups`; at least `LAST_GROUPS` as the
// copies run out), and installs between two yields.
const INSTALL_GROUP = 1024;
const LAST_GROUPS = 128;
const INSTALLS_BETWEEN_YIELDS = 64;
