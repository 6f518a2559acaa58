/**
 * Writes one replica durably and without ever overwriting what the plan did not see. A batch runs in three
 * steps, and only after the third may the caller commit the batch's metadata:
 *
 * 1. `prepare` each file: a complete, fsynced copy in a temporary file beside its destination;
 * 2. `install` each: check the destination is what the plan assumed, keep its old content in the trash, rename
 *    the temporary file into place (an atomic replace, so a crash leaves the old or the new file);
 * 3. `flush`: fsync every touched folder once, so the renames themselves survive a power loss.
 */
import fs from 'node:fs';
import path from 'node:path';
import { copyToTemp, isSmallCopy, linkToTemp, type CopyControl, type CopyRequest, type PreparedFile } from './copyToTemp.ts';
import { checkDestination, type DestinationExpectation } from './destinationCheck.ts';
import { changeDetail, DestinationChangedError, NoSpaceError, settleSync, systemCode, toFolderError, type Settled } from './errors.ts';
import { caseFoldKey, makeFolderInside, resolveForWrite } from './pathSafety.ts';
import { shareOut, sharedFileWorkPool, type FileWorkPool } from './fileWorkPool.ts';
import { syncDirectory } from '../durableFile.ts';
import { flushFileSystemOf, flushFileSystemsOf } from './fileSystemSync.ts';
import { isTempName } from './tempNames.ts';
import type { Trash } from './trash.ts';
import { scanTree, type ScanEntry } from './treeScanner.ts';

/** The destination after a successful write. */
export interface InstalledEntry {
  /** A fresh lstat of what is now at the path, for the new record. */
  readonly entry: ScanEntry;
  /** Where the previous content went (absolute trash path), when there was one. */
  readonly trashed?: string;
}

/** One outcome of a batch call: each item succeeds or fails on its own. */
export type ItemResult<T> = Settled<T>;

/** Progress, Stop, and the racy-clean threshold for last-instant content checks. */
export interface TransferOptions extends CopyControl {
  /**
   * Destination files whose mtime is at or after this (ns; the plan's scan start minus the timestamp
   * granularity) are re-hashed before being overwritten or deleted, when the plan knows their hash. Default 0:
   * always re-hash when a hash is known.
   */
  readonly hashCheckFromNs?: bigint;
  /** The replica's file system ignores case: a rename that changes only case is then one file, not two. */
  readonly caseInsensitive?: boolean;
  /** When unfsynced copies (`skipFsync`) start being written back: see `FlushAhead`. */
  readonly flushAhead?: FlushAhead;
  /** Threads for copying many small files (default: the process's shared pool); null copies everything here. */
  readonly workPool?: FileWorkPool | null;
  /** Called once per file `prepareAll` has copied into its temporary file (for progress: files move with their bytes). */
  readonly onFileCopied?: (bytes: number) => void;
}

/**
 * Copies a batch makes durable with one flush at its end (`skipFsync`) start being written back while the batch is
 * still copying: a background flush of the file system each `everyBytes` copied, one at a time, so the flush at the
 * end finds little left to write (10,000 files of 1–64 KiB: 270 → 80 ms per 5,000-file batch here). Only an early
 * start: durability still rests on the batch's final flush. `start` is the port (`flushFileSystemOf`).
 */
export interface FlushAhead {
  readonly everyBytes: number;
  readonly start: (directory: string) => Promise<unknown>;
}

/** By default a background flush starts after each 32 MiB copied. */
export const FLUSH_AHEAD: FlushAhead = { everyBytes: 32 * 1024 * 1024, start: flushFileSystemOf };

/**
 * Room a batch leaves free on the replica's drive for the sync's own records: the metadata store's commit (its
 * write-ahead log and new pages, a few KiB per file) and the scan state. A copy that would leave less is not
 * started and fails with NO_SPACE, like a copy the drive refused: on a drive filling up, the files that fit are
 * written, the others fail one by one with a clear event, and the sync still records what it wrote instead of
 * failing whole at its commit (what Syncthing's `minDiskFree` guards against, sized from the batch here).
 */
export const RECORDS_RESERVE = { bytes: 1024 * 1024, perFile: 4096 } as const;

/** From this many touched folders, `flush` flushes the file system once instead of fsyncing each folder. */
export const FLUSH_FILE_SYSTEM_FROM = 8;

/** Writes into one replica root; one instance per batch. */
export class FileTransfer {
  readonly #root: string;
  readonly #trash: Trash;
  readonly #control: TransferOptions;
  readonly #touched = new Set<string>();

  constructor(root: string, trash: Trash, control: TransferOptions = {}) {
    this.#root = path.resolve(root);
    this.#trash = trash;
    this.#control = { ...control, madeFolders: new Set() };
  }

  /** Copies a file of another replica into a temporary file here. */
  prepare(request: Omit<CopyRequest, 'destinationRoot'>): Promise<PreparedFile> {
    return copyToTemp({ ...request, destinationRoot: this.#root }, this.#control);
  }

  /**
   * Prepares many files, failures not stopping the rest: small ones on the work pool's threads when there are
   * `FileWorkPool.from` or more of them, the others here, `concurrency` at a time (overlapping their I/O).
   * `onPrepared` hears of each file as its copy ends (complete and closed, or failed), so the caller can start on
   * it while the rest copy; a file refused for room or never started (Stop) is only in the returned results.
   */
  async prepareAll(requests: readonly Omit<CopyRequest, 'destinationRoot'>[], concurrency = 8, onPrepared?: (index: number, result: ItemResult<PreparedFile>) => void): Promise<ItemResult<PreparedFile>[]> {
    const results: ItemResult<PreparedFile>[] = new Array(requests.length);
    const full = requests.map((request): CopyRequest => ({ ...request, destinationRoot: this.#root }));
    const ahead = this.#flushAhead();
    const copied = (index: number, result: ItemResult<PreparedFile>) => {
      onPrepared?.(index, result);
      if (!result.ok) return;
      this.#control.onFileCopied?.(result.value.size);
      if (full[index]?.skipFsync === true) ahead.copied(result.value.size);
    };
    const pool = this.#control.workPool === undefined ? sharedFileWorkPool() : (this.#control.workPool ?? undefined);
    const fitting = this.#fitting(full);
    full.forEach((request, index) => {
      if (!fitting.has(index)) results[index] = { ok: false, error: new NoSpaceError(request.destinationPath) };
    });
    const { pooled, here } = shareOut(pool, [...fitting], (index) => isSmallCopy(full[index] as CopyRequest));
    const inThreads = async () => {
      if (pool === undefined || pooled.length === 0) return;
      const onChunk = (start: number, settled: readonly ItemResult<PreparedFile>[]) => {
        settled.forEach((result, offset) => {
          if (result.ok) this.#control.onBytes?.(result.value.size);
          copied(pooled[start + offset] as number, result);
        });
      };
      const keepModes = this.#control.keepModes === undefined ? {} : { keepModes: this.#control.keepModes };
      const settled = await pool.copy(pooled.map((index) => full[index] as CopyRequest), { ...keepModes, onChunk, ...(this.#control.signal === undefined ? {} : { signal: this.#control.signal }) });
      settled.forEach((result, position) => (results[pooled[position] as number] = result));
    };
    let next = 0;
    const worker = async () => {
      for (let position = next++; position < here.length; position = next++) {
        const index = here[position] as number;
        const request = full[index] as CopyRequest;
        const result = await settle(() => copyToTemp(request, this.#control), request.sourcePath);
        results[index] = result;
        copied(index, result);
        // Small files copy synchronously: let timers and Stop requests in now and then.
        if (position % 64 === 63) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await Promise.all([inThreads(), ...Array.from({ length: Math.max(1, concurrency) }, worker)]);
    if (this.#control.signal?.aborted !== true) await ahead.settled();
    return results;
  }

  /**
   * The requests whose copies fit on the drive in order, leaving `RECORDS_RESERVE` free (each file counted in
   * whole blocks, by its scanned size). All of them where the file system cannot tell its free space.
   */
  #fitting(requests: readonly CopyRequest[]): Set<number> {
    const all = new Set(requests.keys());
    let space: fs.StatsFs;
    try {
      space = fs.statfsSync(this.#root);
    } catch {
      return all;
    }
    // A file system that reports no size at all (fusefat, some network shares) cannot tell what is free either.
    if (space.blocks === 0) return all;
    const block = Math.max(1, space.bsize);
    const sizes = requests.map((request) => Math.ceil((request.expectedSource?.size ?? 0) / block) * block);
    let left = space.bavail * space.bsize - RECORDS_RESERVE.bytes - RECORDS_RESERVE.perFile * requests.length;
    // The common case, a drive with room for all of it, costs one sum.
    if (sizes.reduce((sum, size) => sum + size, 0) <= left) return all;
    for (const [index, size] of sizes.entries()) {
      if (size > left) all.delete(index);
      else left -= size;
    }
    return all;
  }

  /** A symbolic link to `target` under a temporary name, ready to install (links are recreated, never followed). */
  prepareSymlink(destinationPath: string, target: string, hash: string): PreparedFile {
    return linkToTemp(this.#root, destinationPath, target, hash);
  }

  /**
   * Puts a prepared file in place if the destination is still as `expected`; otherwise throws
   * `DestinationChangedError` and discards the temporary file. The old content is kept in the trash.
   */
  install(prepared: PreparedFile, expected: DestinationExpectation): InstalledEntry {
    try {
      // Nothing there to check when the plan saw nothing: the link that places it refuses an occupied name atomically.
      const absolute = expected.kind === 'absent' ? resolveForWrite(this.#root, prepared.destinationPath) : this.#checked(prepared.destinationPath, expected).absolute;
      // A folder is replaced only after its synced content is deleted item by item (see removeDirectory).
      if (expected.kind === 'directory') throw new DestinationChangedError(prepared.destinationPath, changeDetail('folderInTheWay'));
      const trashed = expected.kind === 'absent' ? this.#placeNew(prepared, absolute) : this.#replace(prepared, absolute, expected);
      this.#touched.add(path.dirname(absolute));
      return { entry: entryAt(this.#root, prepared.destinationPath), ...(trashed === undefined ? {} : { trashed }) };
    } catch (error) {
      this.discard(prepared);
      throw toFolderError(error, prepared.destinationPath, 'writing');
    }
  }

  /**
   * Leaves a file in place that already holds the content a write brings (a twin of the source: both sides got the
   * same file), after checking it is still what the plan saw; returns its entry. Nothing is copied or trashed.
   */
  confirm(relativePath: string, expected: DestinationExpectation): ScanEntry {
    try {
      const { absolute, stat } = this.#checked(relativePath, expected);
      // The check's own lstat describes the file: nothing was written to it.
      return stat === undefined ? entryAt(this.#root, relativePath) : entryOf(relativePath, absolute, stat);
    } catch (error) {
      throw toFolderError(error, relativePath, 'reading');
    }
  }

  /** Installs many; each failure is reported and the rest continue. */
  installAll(items: readonly { prepared: PreparedFile; expected: DestinationExpectation }[]): ItemResult<InstalledEntry>[] {
    return items.map(({ prepared, expected }) => settleSync(() => this.install(prepared, expected), prepared.destinationPath, 'syncing'));
  }

  /** Removes a prepared temporary file that will not be installed. */
  discard(prepared: PreparedFile): void {
    fs.rmSync(prepared.tempPath, { force: true });
  }

  /** Moves a file or link to the trash if it is still as `expected`. Returns the trash location. */
  remove(relativePath: string, expected: DestinationExpectation): string {
    try {
      const { absolute } = this.#checked(relativePath, expected);
      if (expected.kind === 'directory') throw new DestinationChangedError(relativePath, changeDetail('isFolder'));
      const trashed = this.#trash.keep(relativePath, 'move');
      this.#verifyTrashed(relativePath, trashed, absolute, expected, 'moved');
      this.#touched.add(path.dirname(absolute));
      return trashed;
    } catch (error) {
      throw toFolderError(error, relativePath, 'deleting');
    }
  }

  /**
   * Removes a folder only when it is empty: its synced content is deleted item by item first, and whatever is
   * left (an excluded file, something new) keeps it alive, so an excluded file is never deleted with its folder.
   */
  removeDirectory(relativePath: string): 'removed' | 'notEmpty' | 'absent' {
    const absolute = resolveForWrite(this.#root, relativePath);
    try {
      fs.rmdirSync(absolute);
      this.#touched.add(path.dirname(absolute));
      return 'removed';
    } catch (error) {
      const code = systemCode(error);
      if (code === 'ENOENT') return 'absent';
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return 'notEmpty';
      throw toFolderError(error, relativePath, 'deleting the folder');
    }
  }

  /** Creates a folder (parents too) or sets the mode of an existing one; anything else there is a change. */
  ensureDirectory(relativePath: string, mode: number): ScanEntry {
    const absolute = resolveForWrite(this.#root, relativePath);
    try {
      const current = lstat(absolute);
      if (current !== undefined && !current.isDirectory()) checkDestination(relativePath, current, { kind: 'directory' });
      if (current === undefined) makeFolderInside(this.#root, absolute);
      // Explicit, as mkdir's mode is masked by the umask; skipped when already right (it may not be ours to chmod)
      // and where the file system keeps no modes.
      const keepModes = this.#control.keepModes !== false;
      if (keepModes && (current === undefined || (Number(current.mode) & 0o777) !== (mode & 0o777))) fs.chmodSync(absolute, mode & 0o777);
      this.#touched.add(path.dirname(absolute));
      return entryAt(this.#root, relativePath);
    } catch (error) {
      throw toFolderError(error, relativePath, 'creating the folder');
    }
  }

  /**
   * Renames `from` to `to` within this replica if `from` is as expected and `to` is absent. Files and links
   * move by link-then-unlink, which refuses an occupied target atomically; folders by rename after a check.
   * On a case-insensitive side a change of case only is a plain rename (`to` is `from` itself there).
   */
  move(from: string, to: string, expected: DestinationExpectation): ScanEntry {
    try {
      const target = resolveForWrite(this.#root, to);
      const caseOnly = this.#control.caseInsensitive === true && caseFoldKey(from) === caseFoldKey(to);
      const { absolute: source } = this.#checked(from, expected);
      if (!caseOnly) checkDestination(to, lstat(target), { kind: 'absent' });
      makeFolderInside(this.#root, path.dirname(target));
      if (caseOnly || expected.kind === 'directory' || !tryLink(source, target, to)) fs.renameSync(source, target);
      else unlinkOrUndo(source, target);
      this.#touched.add(path.dirname(source)).add(path.dirname(target));
      return entryAt(this.#root, to);
    } catch (error) {
      throw toFolderError(error, to, 'renaming');
    }
  }

  /**
   * Makes every folder touched since the last flush durable (the trash's too). Commit metadata only after this.
   * Many folders: one flush of each file system holding them (`syncfs`, which commits the journal holding every rename),
   * instead of a journal commit per folder (100 edited files in 100 folders: 200 fsyncs with the trash's, about
   * 0.3 s here); a few, or where that flush is unavailable: an fsync each.
   */
  async flush(): Promise<void> {
    const directories = [...this.#touched, ...this.#trash.takeTouchedDirectories()];
    this.#touched.clear();
    const unflushed = directories.length >= FLUSH_FILE_SYSTEM_FROM ? await flushFileSystemsOf(directories, 'folders') : directories;
    for (const directory of unflushed) syncDirectory(directory);
  }

  /** Counts a batch's unflushed bytes and starts a background flush each `everyBytes`, never two at once. */
  #flushAhead(): { copied(bytes: number): void; settled(): Promise<unknown> } {
    const { everyBytes, start } = this.#control.flushAhead ?? FLUSH_AHEAD;
    let unflushed = 0;
    let running: Promise<unknown> | undefined;
    return {
      copied: (bytes) => {
        unflushed += bytes;
        if (unflushed < everyBytes || running !== undefined) return;
        unflushed = 0;
        running = start(this.#root).catch(() => false).finally(() => (running = undefined));
      },
      settled: async () => running,
    };
  }

  /**
   * Resolves `relativePath` for writing and checks it is still what the plan expected (re-hashed when racily
   * clean); throws `DestinationChangedError` otherwise. Returns the path and the lstat the check used.
   */
  #checked(relativePath: string, expected: DestinationExpectation): { absolute: string; stat: fs.BigIntStats | undefined } {
    const absolute = resolveForWrite(this.#root, relativePath);
    const stat = lstat(absolute);
    checkDestination(relativePath, stat, expected, { absolute, hashFromNs: this.#control.hashCheckFromNs ?? 0n });
    return { absolute, stat };
  }

  /** Absent destination: link the temp into place (fails atomically if something appeared), else rename. */
  #placeNew(prepared: PreparedFile, absolute: string): undefined {
    if (tryLink(prepared.tempPath, absolute, prepared.destinationPath)) {
      fs.unlinkSync(prepared.tempPath);
      return undefined;
    }
    checkDestination(prepared.destinationPath, lstat(absolute), { kind: 'absent' });
    fs.renameSync(prepared.tempPath, absolute);
    return undefined;
  }

  /**
   * Existing destination: hard-link the old content into the trash and rename the temp over it, so the path is
   * never absent; where hard links are unsupported, move the old content to the trash first.
   */
  #replace(prepared: PreparedFile, absolute: string, expected: DestinationExpectation): string {
    let trashed: string;
    try {
      trashed = this.#trash.keep(prepared.destinationPath, 'link');
      this.#verifyTrashed(prepared.destinationPath, trashed, undefined, expected, 'linked');
    } catch (error) {
      if (error instanceof DestinationChangedError) throw error;
      trashed = this.#trash.keep(prepared.destinationPath, 'move');
      this.#verifyTrashed(prepared.destinationPath, trashed, absolute, expected, 'moved');
    }
    fs.renameSync(prepared.tempPath, absolute);
    return trashed;
  }

  /**
   * Re-checks the trashed content against the plan (closing the window between the first check and the trash
   * operation). On a mismatch the trash operation is undone and `DestinationChangedError` thrown.
   */
  #verifyTrashed(relativePath: string, trashed: string, original: string | undefined, expected: DestinationExpectation, how: 'linked' | 'moved'): void {
    try {
      checkDestination(relativePath, lstat(trashed), expected, { absolute: trashed });
    } catch (error) {
      if (how === 'linked') fs.unlinkSync(trashed);
      else if (original !== undefined) putBack(trashed, original, relativePath);
      throw error;
    }
  }
}

/** Undoes a move to the trash; if something took the path meanwhile, the old content simply stays in the trash. */
function putBack(trashed: string, original: string, relativePath: string): void {
  try {
    if (tryLink(trashed, original, relativePath)) fs.unlinkSync(trashed);
    else fs.renameSync(trashed, original);
  } catch (error) {
    if (!(error instanceof DestinationChangedError)) throw error;
  }
}

/** Removes leftover temporary files of a crashed run (from a scan's `tempFiles`, or found by scanning). */
export function cleanupTempFiles(root: string, tempFiles?: readonly string[]): string[] {
  const found = tempFiles ?? scanTree(root).tempFiles;
  const removed: string[] = [];
  for (const relative of found) {
    if (!isTempName(path.posix.basename(relative))) continue;
    fs.rmSync(resolveForWrite(root, relative), { force: true });
    removed.push(relative);
  }
  return removed;
}

function lstat(absolute: string): fs.BigIntStats | undefined {
  return fs.lstatSync(absolute, { bigint: true, throwIfNoEntry: false });
}

/**
 * A hard link from `existing` to `target`: false where links are unsupported; an occupied target (EEXIST, which
 * link reports atomically, unlike rename) becomes `DestinationChangedError` for `relativePath`.
 */
function tryLink(existing: string, target: string, relativePath: string): boolean {
  try {
    fs.linkSync(existing, target);
    return true;
  } catch (error) {
    const code = systemCode(error);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EMLINK' || code === 'EXDEV') return false;
    if (code === 'EEXIST') throw new DestinationChangedError(relativePath, changeDetail('somethingAppeared'));
    throw error;
  }
}

/**
 * The second half of a move by link-then-unlink: removes the old name, or, when that fails, the new name again,
 * so a failed move leaves the item where it was instead of under two names (which the next scan would take for a
 * new file). The original error is thrown.
 */
function unlinkOrUndo(source: string, target: string): void {
  try {
    fs.unlinkSync(source);
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  }
}

/** The scan entry for what is now at `relativePath`. */
function entryAt(root: string, relativePath: string): ScanEntry {
  const absolute = path.join(root, ...relativePath.split('/'));
  return entryOf(relativePath, absolute, fs.lstatSync(absolute, { bigint: true }));
}

/** The scan entry for `relativePath` (at `absolute`) from its lstat. */
function entryOf(relativePath: string, absolute: string, stat: fs.BigIntStats): ScanEntry {
  const kind = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'file';
  const base = { path: relativePath, kind, size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, mode: Number(stat.mode) & 0o7777 } as const;
  return kind === 'symlink' ? { ...base, linkTarget: fs.readlinkSync(absolute) } : base;
}

async function settle<T>(run: () => Promise<T>, relativePath: string): Promise<ItemResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: toFolderError(error, relativePath, 'syncing') };
  }
}

