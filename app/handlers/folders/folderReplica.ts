/**
 * A folder as an engine replica (`ReplicaAdapter`): metadata in `<root>/.synccenter/metadata.db`, the last scan
 * in `<root>/.synccenter/scan-state.tsv`, deleted and replaced content in `<root>/.synccenter/trash/`.
 *
 * A session scans once (`plan`), before anything is recorded, so the guards can refuse a suspicious plan;
 * `detectChanges` then records that plan (the engine calls it at the start of each leg: only the first call
 * records, our own writes being tracked in the index as they happen); `applyWrites` writes a batch, returning
 * the items it could not write (the engine withdraws them; `writesWithdrawn` takes their index changes back, so
 * whatever they did on disk is seen as a local change next time); `finish` saves the index as the next scan state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MetadataStore, type ChangeUnitId, type ItemId, type ItemRecord, type LocalChangeTracker, type ReplicaAdapter, type ReplicaId, type ReplicaWrite, type WriteFailure } from '../../engine/index.ts';
import { detectChanges, type ChangeSet, type FileRecord } from './changeDetector.ts';
import { CHUNK_SIZE, hashFile, hashFileSync, hashLinkTarget } from './contentHash.ts';
import { CanceledError, RootMissingError, toFolderError, type FolderError } from './errors.ts';
import { cleanupTempFiles, FileTransfer } from './fileTransfer.ts';
import { shareOut, sharedFileWorkPool, type FileWorkPool } from './fileWorkPool.ts';
import { measureTimestampGranularity } from './fileSystemClock.ts';
import { CONTENT_UNIT, formatMode, hashFolderUnit, KIND_UNIT, MODE_UNIT, unitHashes, type FolderUnit } from './folderUnits.ts';
import { caseFoldKey, holdsMetadata, normalizationKey, probeCaseInsensitive, probeModeSupport } from './pathSafety.ts';
import { ReplicaIndex } from './replicaIndex.ts';
import { pairMovesByContent, previousScanFromMetadata } from './scanStateRebuild.ts';
import { loadScanState, saveScanStateChanges, type LoadedScanState } from './scanStateStore.ts';
import { METADATA_DIR } from './tempNames.ts';
import { Trash } from './trash.ts';
import { scanTree, type ScanEntry, type ScanResult } from './treeScanner.ts';
import { applyFolderWrites, toRecord } from './writeApplier.ts';
import type { ExcludeMatcher } from './excludeMatcher.ts';

/** How to open a folder replica. */
export interface FolderReplicaOptions {
  readonly root: string;
  readonly excludes: ExcludeMatcher;
  /** The clock port (ms). */
  readonly now: () => number;
  readonly newItemId: () => ItemId;
  readonly newReplicaId: () => ReplicaId;
  readonly signal?: AbortSignal;
  /** Threads for copying and hashing many small files (default: the process's shared pool); null: none. */
  readonly workPool?: FileWorkPool | null;
  /** Bytes copied into this replica, as they are written. */
  readonly onBytes?: (bytes: number) => void;
  /** A file's content was installed in this replica. */
  readonly onFileDone?: (bytes: number) => void;
}

/** What a scan found, before it is recorded. */
export interface FolderPlan {
  /** When the scan started (the entries themselves are not kept: the index holds what is needed). */
  readonly scanStartedAtNs: bigint;
  readonly scanIssues: ScanResult['issues'];
  readonly collisions: ScanResult['collisions'];
  readonly changes: ChangeSet;
  /** Files (and links) recorded by the previous scan. */
  readonly previousFileCount: number;
}

/** The metadata database of a replica root. */
export function metadataPath(root: string): string {
  return path.join(root, METADATA_DIR, 'metadata.db');
}

/** See the module comment. */
export class FolderReplica implements ReplicaAdapter<FolderUnit> {
  readonly root: string;
  readonly store: MetadataStore;
  readonly #options: FolderReplicaOptions;
  readonly #trash: Trash;
  /** This scan's records; indexed on first use (a sync with nothing to do never needs the index). */
  #records: readonly FileRecord[] = [];
  #builtIndex: ReplicaIndex | undefined;
  /** The plan's records that are not the previous scan's, by disk path (undefined when there are many). */
  #fresh: Map<string, FileRecord> | undefined;
  #plan: FolderPlan | undefined;
  /** Files that could not be read this session: left as they were recorded, reported, retried next time. */
  readonly #unreadable = new Map<string, FolderError>();
  /** Writes into this replica that failed this session (each item skipped and retried next time). */
  readonly #writeFailures: FolderError[] = [];
  /** Folders whose delete this session found them still holding something, left in place (`#reviveKeptFolders`). */
  readonly #keptFolders = new Set<string>();
  #recorded = false;
  #granularityNs: bigint | undefined;
  /** Whether this side's file system ignores case (probed by `plan`): names that fold alike are then one place. */
  #caseInsensitive = false;
  /**
   * Whether this side's file system keeps Unix modes (probed by `plan`). Where it does not (FAT), modes are neither
   * written here nor reported from here: the modes the other side gave each file are kept in the metadata.
   */
  #keepsModes = true;
  /** The scan state `plan` started from: saving appends what differs from it. */
  #loaded: Pick<LoadedScanState, 'byPath' | 'stored'> = { byPath: new Map(), stored: undefined };
  /** Whether the scan state must be saved: anything found, hashed or written since the last save. */
  #dirty = false;

  private constructor(options: FolderReplicaOptions, store: MetadataStore) {
    this.root = path.resolve(options.root);
    this.#options = options;
    this.store = store;
    this.#trash = new Trash(this.root, options.now);
  }

  /** Opens (creating when new) the replica's metadata. The caller has already checked the root is there. */
  static open(options: FolderReplicaOptions): FolderReplica {
    const store = MetadataStore.open({ path: metadataPath(options.root), replicaId: options.newReplicaId });
    return new FolderReplica(options, store);
  }

  get replicaId(): ReplicaId {
    return this.store.replicaId;
  }

  /** The trash of this replica. */
  get trash(): Trash {
    return this.#trash;
  }

  /** Scans and compares with the last scan, hashing what needs it; records nothing yet. */
  async plan(onScanned?: (entries: number) => void): Promise<FolderPlan> {
    let state = loadScanState(this.root);
    const known = state.byPath;
    this.#loaded = { byPath: state.byPath, stored: state.stored };
    // Thousands of files more than the last scan saw will be hashed on the work pool: its threads start meanwhile.
    const pool = this.#workPool;
    let warmed = pool === null;
    const onProgress = (entries: number) => {
      onScanned?.(entries);
      if (!warmed && pool !== null && entries - known.size >= pool.from) {
        warmed = true;
        pool.warm();
      }
    };
    const scanned = scanTree(this.root, { excludes: this.#options.excludes, now: this.#options.now, known, onProgress, ...(this.#options.signal ? { signal: this.#options.signal } : {}) });
    cleanupTempFiles(this.root, scanned.tempFiles);
    const finished = this.#finishFolderDeletes(scanned.emptyFolders, known);
    const scan = finished.size === 0 ? scanned : { ...scanned, entries: scanned.entries.filter((entry) => !finished.has(entry.path)) };
    if (finished.size > 0) {
      const records = state.records.filter((record) => !finished.has(record.path));
      state = { ...state, records, byPath: new Map(records.map((record) => [record.path, record])) };
    }
    this.#granularityNs = state.granularityNs ?? measureTimestampGranularity(this.root);
    this.#caseInsensitive = probeCase(this.root);
    this.#keepsModes = probeModes(this.root);
    // Synced before, yet no scan state (deleted by hand, a damaged base): the previous scan comes from the metadata,
    // so what was deleted or moved here since the last sync is still seen (`scanStateRebuild.ts`).
    const rebuilt = state.stored === undefined && !this.#isNewStore() ? previousScanFromMetadata(this.store.liveItems(), scan.entries, this.#options.excludes) : undefined;
    if (rebuilt !== undefined) state = { ...state, records: rebuilt.records, byPath: new Map(rebuilt.records.map((record) => [record.path, record])) };
    const hash = (relative: string) => this.#hash(relative, 'file', undefined);
    let changes = await detectChanges(scan, state.records, { previousScanStartNs: state.scanStartedAtNs, granularityNs: this.#granularityNs, hash, previousByPath: state.byPath });
    this.#records = await this.#currentRecords(scan, changes);
    if (rebuilt !== undefined) changes = pairMovesByContent(changes, rebuilt, new Map(this.#records.map((record) => [record.path, record.hash])));
    this.#builtIndex = undefined;
    this.#plan = { scanStartedAtNs: scan.startedAtNs, scanIssues: scan.issues, collisions: scan.collisions, changes, previousFileCount: state.records.filter((record) => record.kind !== 'directory').length };
    const found = changes.added.length + changes.modified.length + changes.deleted.length + changes.renamed.length + changes.typeChanged.length;
    // Re-hashes that found nothing new (files written just before the last scan, a moved ctime) are cheap to
    // repeat next time; a few of them are not worth rewriting the whole scan state, many are.
    this.#dirty = found > 0 || finished.size > 0 || changes.hashes.size > REHASH_SAVE_FROM || state.granularityNs === undefined || this.#unreadable.size > 0;
    return this.#plan;
  }

  /**
   * Finishes folder deletes that had to wait: a folder this replica was told to delete while something inside
   * still had to move away (a rename waiting for a conflict saved for later) stayed for that content, with its
   * record, its item deleted. Once such a folder is empty, unchanged since the last scan, and its name belongs to
   * no live item but to a deleted one, it is removed here (`rmdir`: only ever an empty folder), so it does not
   * outlive its item on this replica alone. Returns the folders removed.
   */
  #finishFolderDeletes(emptyFolders: readonly ScanEntry[], known: ReadonlyMap<string, FileRecord>): Set<string> {
    const finished = new Set<string>();
    for (const folder of emptyFolders) {
      // One new since the last scan (not there, or another folder made under that name) is a folder to sync.
      const record = known.get(folder.path);
      if (record?.kind !== 'directory' || folder.ino !== record.ino) continue;
      const name = normalizationKey(folder.path);
      if (this.store.findLiveItemByName(name) !== undefined || !this.store.hasTombstoneNamed(name)) continue;
      try {
        fs.rmdirSync(path.join(this.root, folder.path));
        finished.add(folder.path);
      } catch {
        // Not empty after all, or not removable now: it stays, as before.
      }
    }
    return finished;
  }

  /** A store that knows nothing at all is new; one that only ever received changes keeps tick 0 but is not. */
  #isNewStore(): boolean {
    return this.store.tickCount() === 0 && this.store.knowledge().keyMap.length === 1;
  }

  async detectChanges(tracker: LocalChangeTracker): Promise<void> {
    if (this.#recorded || this.#plan === undefined) return;
    this.#recorded = true;
    const { changes } = this.#plan;
    if (!this.#keepsModes) tracker.ignoreUnits([MODE_UNIT]);
    const readable = (entryPath: string) => !this.#unreadable.has(entryPath);
    const renamed = changes.renamed.filter((rename) => readable(rename.to.path));
    const observed = [...changes.typeChanged.map((change) => change.entry), ...changes.modified.map((change) => change.entry), ...changes.added].filter((entry) => readable(entry.path));
    // Items the metadata lacks although the scan state has them (metadata lost or new): observe everything.
    const everything = this.#isNewStore() ? this.#index.records() : [];
    // Every name looked up below, in one statement.
    tracker.prefetchNames([...changes.deleted, ...renamed.map((rename) => rename.from), ...renamed.map((rename) => rename.to), ...observed, ...everything].map((entry) => normalizationKey(entry.path)));
    for (const record of changes.deleted) tracker.observeDeleted(normalizationKey(record.path));
    tracker.observeRenamed(renamed.map((rename) => ({ from: normalizationKey(rename.from.path), to: normalizationKey(rename.to.path), hashes: this.#hashesAt(rename.to.path) })));
    for (const entry of [...observed, ...everything]) tracker.observe(normalizationKey(entry.path), this.#hashesAt(entry.path));
  }

  async loadUnits(record: ItemRecord, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, FolderUnit>> {
    const entry = this.#recordNamed(record.name);
    const units = new Map<ChangeUnitId, FolderUnit>();
    if (entry === undefined) return units;
    for (const unitId of unitIds) {
      if (unitId === KIND_UNIT) units.set(unitId, entry.kind);
      if (unitId === MODE_UNIT && entry.kind !== 'symlink' && this.#keepsModes) units.set(unitId, formatMode(entry.mode));
      if (unitId === CONTENT_UNIT && entry.hash !== undefined && entry.kind !== 'directory') {
        const stable = this.#plan === undefined || this.#granularityNs === undefined || entry.ctimeNs === undefined ? {} : { ctimeNs: entry.ctimeNs, stableBeforeNs: this.#plan.scanStartedAtNs - this.#granularityNs };
        const modes = this.#keepsModes ? {} : { keepsModes: false };
        units.set(unitId, { root: this.root, diskPath: entry.path, kind: entry.kind, hash: entry.hash, size: entry.size, mtimeNs: entry.mtimeNs, ino: entry.ino, ...stable, ...modes, ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }) });
      }
    }
    return units;
  }

  async applyWrites(writes: readonly ReplicaWrite<FolderUnit>[]): Promise<readonly WriteFailure[]> {
    if (writes.length === 0) return [];
    this.#assertRootHere();
    this.#dirty = true;
    const control = { ...(this.#options.signal ? { signal: this.#options.signal } : {}), ...(this.#options.onBytes ? { onBytes: this.#options.onBytes } : {}), ...(this.#options.onFileDone ? { onFileCopied: this.#options.onFileDone } : {}) };
    const hashCheckFromNs = (this.#plan?.scanStartedAtNs ?? 0n) - (this.#granularityNs ?? 0n);
    const transfer = new FileTransfer(this.root, this.#trash, { ...control, workPool: this.#workPool, hashCheckFromNs, caseInsensitive: this.#caseInsensitive, keepModes: this.#keepsModes });
    const failures = await applyFolderWrites({ root: this.root, index: this.#index, transfer, keepModes: this.#keepsModes, keptFolders: this.#keptFolders, ...(this.#options.onFileDone ? { onFileDone: this.#options.onFileDone } : {}) }, writes);
    // The root went away while writing: fail the session (nothing of this batch is recorded) rather than report
    // every file of it.
    const gone = failures.find((failure) => failure.error instanceof RootMissingError);
    if (gone !== undefined) throw gone.error;
    this.#assertRootHere();
    // One event per cause: a folder left in place because its content failed shares that content's error.
    for (const { error } of failures) if (!this.#writeFailures.includes(error)) this.#writeFailures.push(error);
    return failures;
  }

  writesWithdrawn(writes: readonly ReplicaWrite<FolderUnit>[]): void {
    this.#index.takeBack(writes.map((write) => write.itemId));
  }

  hashUnit(value: FolderUnit): string {
    return hashFolderUnit(value);
  }

  /** On a case-insensitive side, names that differ only in case are one place: a different item there collides. */
  nameKey(name: string): string {
    return this.#caseInsensitive ? caseFoldKey(name) : name;
  }

  nameWithKey(key: string): string | undefined {
    return this.#index.nameWithKey(key);
  }

  uniqueName(name: string, isTaken: (candidate: string) => boolean): string {
    const extension = path.posix.extname(name);
    const stem = name.slice(0, name.length - extension.length);
    for (let counter = 2; ; counter += 1) if (!isTaken(`${stem} (${counter})${extension}`)) return `${stem} (${counter})${extension}`;
  }

  /** Where the item called `name` is (or would go) on this side's disk. */
  diskPathFor(name: string): string {
    return this.#index.diskPathFor(name);
  }

  /** Saves the index as the next scan state (after the session), and closes the metadata. */
  finish(): void {
    // Unchanged records with the previous scan's start remain a valid pair, so a no-op sync writes nothing.
    if (this.#plan !== undefined && this.#dirty && !holdsMetadata(this.root)) {
      this.store.close();
      throw new RootMissingError(this.root, 'it disappeared during the sync; its scan state was not written there');
    }
    if (this.#builtIndex !== undefined && this.#keptFolders.size > 0) this.#reviveKeptFolders(this.#builtIndex);
    const current = this.#builtIndex?.scanStateRecords() ?? this.#records; // no index: nothing was written, the plan's records stand
    if (this.#plan !== undefined && this.#dirty) saveScanStateChanges(this.root, { scanStartedAtNs: this.#plan.scanStartedAtNs, granularityNs: this.#granularityNs }, current, this.#loaded);
    this.store.close();
  }

  /**
   * A folder another replica deleted, kept here for synced content that replica never saw (a file made in it here
   * meanwhile), comes back as a live item, like an update kept over a delete: its record is dropped, so the next
   * scan finds it new and sends it to every replica. Otherwise its item stays deleted everywhere while the folder
   * stays here, and a file another replica gives its name is refused there at every sync ("… is not a folder").
   * Decided once the whole session is applied (the content the deleting replica did see may go in a later batch).
   * A folder kept only for excluded or unknown files stays as it is (deleted elsewhere, rightly); one whose content
   * failed to go is left for the next sync to retry.
   */
  #reviveKeptFolders(index: ReplicaIndex): void {
    const candidates = new Set<string>();
    for (const folder of this.#keptFolders) {
      const failedInside = this.#writeFailures.some((failure) => failure.path.startsWith(`${folder}/`));
      if (index.at(folder)?.kind === 'directory' && !failedInside && this.store.findLiveItemByName(normalizationKey(folder)) === undefined) candidates.add(folder);
    }
    const revived = new Set<string>();
    for (const inside of index.byPath().values()) {
      for (let cut = inside.path.lastIndexOf('/'); cut > 0; cut = inside.path.lastIndexOf('/', cut - 1)) {
        const folder = inside.path.slice(0, cut);
        if (candidates.has(folder) && !revived.has(folder) && this.store.findLiveItemByName(normalizationKey(inside.path)) !== undefined) revived.add(folder);
      }
    }
    for (const folder of revived) index.remove(folder);
  }

  /** Closes the metadata without saving the scan state (the session was refused or failed before writing). */
  close(): void {
    this.store.close();
  }

  /** Refuses to write into a root that no longer holds its metadata (moved away, or its drive unmounted). */
  #assertRootHere(): void {
    if (!holdsMetadata(this.root)) throw new RootMissingError(this.root, 'it disappeared during the sync; nothing more was written there');
  }

  /**
   * The record at a disk path; before the index is built, the plan's new records answer for themselves (a side
   * that only sends a few changes never builds an index of 100,000 records).
   */
  #recordAt(diskPath: string): FileRecord | undefined {
    if (this.#builtIndex === undefined) {
      const fresh = this.#fresh?.get(diskPath);
      if (fresh !== undefined) return fresh;
    }
    return this.#index.at(diskPath);
  }

  /** The record of the item called `name`, as `ReplicaIndex.byName` (a name is its own disk path when it is a new record's). */
  #recordNamed(name: string): FileRecord | undefined {
    if (this.#builtIndex === undefined) {
      const fresh = this.#fresh?.get(name);
      if (fresh !== undefined && normalizationKey(fresh.path) === name) return fresh;
    }
    return this.#index.byName(name);
  }

  get #index(): ReplicaIndex {
    this.#builtIndex ??= new ReplicaIndex(this.#records, this.#caseInsensitive ? caseFoldKey : undefined);
    return this.#builtIndex;
  }

  #hashesAt(diskPath: string): Map<ChangeUnitId, string> {
    const record = this.#recordAt(diskPath);
    return record === undefined ? new Map() : unitHashes(record.kind, record.mode, record.hash);
  }

  /** The records after this scan: fresh stat for everything seen, hashes kept, computed or newly taken. */
  async #currentRecords(scan: ScanResult, changes: ChangeSet): Promise<FileRecord[]> {
    const { entries } = scan;
    const renamedTo = new Map(changes.renamed.map((rename) => [rename.to.path, rename.from]));
    const changed = new Set([...changes.added, ...changes.modified.map((change) => change.entry), ...changes.typeChanged.map((change) => change.entry)].map((entry) => entry.path));
    // Per entry: its previous record (a rename's source for a rename target) and its known hash, synchronously;
    // the lookups are skipped when their sets are empty (a sync with nothing to do takes a few steps per file).
    const previous: (FileRecord | undefined)[] = new Array(entries.length);
    const hashes: (string | undefined)[] = new Array(entries.length);
    const unknown: number[] = [];
    for (let position = 0; position < entries.length; position += 1) {
      const entry = entries[position] as ScanEntry;
      const before = (renamedTo.size > 0 ? renamedTo.get(entry.path) : undefined) ?? changes.previousAt[position];
      previous[position] = before;
      if (entry.kind === 'directory') continue;
      const fresh = changes.hashes.size > 0 ? changes.hashes.get(entry.path) : undefined;
      const known = fresh ?? (changed.size > 0 && changed.has(entry.path) ? undefined : before?.hash);
      if (known === undefined) unknown.push(position);
      else hashes[position] = known;
    }
    await this.#hashAll(entries, unknown, hashes);
    const records: FileRecord[] = [...changes.unknown];
    let fresh: Map<string, FileRecord> | undefined = new Map();
    for (let position = 0; position < entries.length; position += 1) {
      const entry = entries[position] as ScanEntry;
      const before = previous[position];
      if (this.#unreadable.size === 0 || !this.#unreadable.has(entry.path)) {
        if (sameRecord(before, entry, hashes[position])) records.push(before as FileRecord);
        else {
          const record = toRecord(entry, hashes[position]);
          records.push(record);
          fresh?.set(record.path, record);
          if (fresh !== undefined && fresh.size > FRESH_LOOKUP_LIMIT) fresh = undefined;
        }
      }
      else if (before !== undefined) records.push(before); // unknown this time: keep what we knew
    }
    // Only where names and disk paths map one to one (no NFC/NFD pair in one folder), as the index would.
    this.#fresh = scan.collisions.length === 0 ? fresh : undefined;
    return records;
  }

  /** Problems with single files (unreadable, locked) found by this session's plan; each was skipped. */
  fileIssues(): FolderError[] {
    return [...this.#unreadable.values()];
  }

  /** Files that could not be written into this replica this session; each was skipped, the rest written. */
  writeIssues(): FolderError[] {
    return [...this.#writeFailures];
  }

  /**
   * Hashes the entries at `positions` into `hashes`: small files on the work pool's threads when there are many
   * (`FileWorkPool.from`), the rest here, a few at a time.
   */
  async #hashAll(entries: readonly ScanEntry[], positions: readonly number[], hashes: (string | undefined)[]): Promise<void> {
    const pool = this.#workPool ?? undefined;
    const { pooled, here } = shareOut(pool, positions, (position) => {
      const entry = entries[position] as ScanEntry;
      return entry.kind === 'file' && entry.size <= CHUNK_SIZE;
    });
    const inThreads = async () => {
      if (pool === undefined || pooled.length === 0) return;
      const jobs = pooled.map((position) => {
        const entry = entries[position] as ScanEntry;
        return { absolutePath: path.join(this.root, entry.path), displayPath: entry.path, size: entry.size };
      });
      const settled = await pool.hash(jobs, this.#options.signal);
      settled.forEach((result, offset) => {
        const entry = entries[pooled[offset] as number] as ScanEntry;
        if (result.ok) hashes[pooled[offset] as number] = result.value;
        else if (result.error instanceof CanceledError) throw result.error;
        else hashes[pooled[offset] as number] = this.#noteUnreadable(entry.path, result.error);
      });
    };
    await Promise.all([
      inThreads(),
      mapConcurrently(here, HASH_CONCURRENCY, async (position) => {
        const entry = entries[position] as ScanEntry;
        hashes[position] = await this.#hash(entry.path, entry.kind, entry.linkTarget, entry.size);
      }),
    ]);
  }

  get #workPool(): FileWorkPool | null {
    return this.#options.workPool === undefined ? (sharedFileWorkPool() ?? null) : this.#options.workPool;
  }

  /** Notes a file that could not be read (not fatal) and gives it a hash that matches nothing. */
  #noteUnreadable(diskPath: string, error: FolderError): string {
    this.#unreadable.set(diskPath, error);
    return `unreadable:${diskPath}`;
  }

  /** A content hash; a file that cannot be read is noted (not fatal) and gets a hash that matches nothing. */
  async #hash(diskPath: string, kind: string, linkTarget: string | undefined, size?: number): Promise<string> {
    if (kind === 'symlink') return hashLinkTarget(linkTarget ?? '');
    try {
      if (size === undefined || size > CHUNK_SIZE) return await hashFile(path.join(this.root, diskPath), diskPath, this.#options.signal);
      if (this.#options.signal?.aborted === true) throw new CanceledError(diskPath);
      return hashFileSync(path.join(this.root, diskPath), diskPath, size); // one chunk: cheaper without the thread pool
    } catch (error) {
      if (error instanceof CanceledError) throw error;
      return this.#noteUnreadable(diskPath, toFolderError(error, diskPath, 'reading'));
    }
  }
}

/** The case probe, where the root can be written to (a read-only side receives nothing, so case does not matter). */
function probeCase(root: string): boolean {
  try {
    return probeCaseInsensitive(root);
  } catch {
    return false;
  }
}

/** The mode probe; a root that cannot be written to keeps whatever modes it has (nothing is written there). */
function probeModes(root: string): boolean {
  try {
    return probeModeSupport(root);
  } catch {
    return true;
  }
}

// Up to this many new records, the plan keeps them by path for lookups before (or without) building the index.
const FRESH_LOOKUP_LIMIT = 4096;

// From this many re-hashed files with no change found, the scan state is saved anyway (see `plan`).
const REHASH_SAVE_FROM = 256;

// Hashes in flight at once: enough to hide each file's open/read/close latency, few enough to stay light.
const HASH_CONCURRENCY = 8;

/** `map` with at most `limit` calls of `body` in flight; results in input order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, body: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await body(items[index] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** True when `previous` already says exactly what `entry` with `hash` would (it is then reused, not copied). */
function sameRecord(previous: FileRecord | undefined, entry: ScanResult['entries'][number], hash: string | undefined): boolean {
  if (previous === undefined) return false;
  const same = previous.path === entry.path && previous.kind === entry.kind && previous.size === entry.size && previous.mtimeNs === entry.mtimeNs && previous.ino === entry.ino;
  return same && previous.ctimeNs === entry.ctimeNs && previous.mode === entry.mode && previous.hash === hash && previous.linkTarget === entry.linkTarget;
}
