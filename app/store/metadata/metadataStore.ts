/**
 * The SQLite metadata store of one replica (the seed's Metadata Storage Service): replica id, tick count,
 * knowledge, forgotten knowledge, and per item its versions, tombstone flag and change units. The only module
 * that issues SQL for sync metadata. Opened with WAL; a file that is not ours is refused, never replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import type { ItemRecord, UnitRecord } from '../../engine/changeBatch.ts';
import { MetadataCorruptError, MetadataDiskFullError, MetadataForeignError, SyncError } from '../../engine/errors.ts';
import { DEFAULT_ID_FORMATS, parseReplicaId, type IdFormats, type ItemId, type ReplicaId } from '../../engine/ids.ts';
import { Knowledge } from '../../engine/knowledge.ts';
import { decodeKnowledge, encodeKnowledge } from '../../engine/knowledgeCodec.ts';
import { driveIsFull, inTransaction, isDiskFull } from '../sqlite.ts';
import { StoreStatements } from './storeStatements.ts';

/** `PRAGMA application_id` of a metadata store: "SCMD". */
export const METADATA_APPLICATION_ID = 0x53434d44;
const SCHEMA_DIR = new URL('./schema/', import.meta.url);

/** How to open a store. */
export interface OpenMetadataStoreOptions {
  /** The database file; created (with its directory) when missing. */
  readonly path: string;
  /** The replica id to give a new store; ignored for an existing one. */
  readonly replicaId: () => ReplicaId;
  readonly idFormats?: IdFormats;
}

/** Everything one transaction writes: records, removals, the knowledge they teach, the new tick count. */
export interface StoreCommit {
  readonly records?: readonly ItemRecord[];
  /** Items whose metadata is removed entirely (a forgotten deletion applied during recovery). */
  readonly removals?: readonly ItemId[];
  readonly knowledge: Knowledge;
  readonly tickCount: number;
}

/** A replica's metadata store; see the module comment. */
export class MetadataStore {
  readonly path: string;
  readonly replicaId: ReplicaId;
  readonly idFormats: IdFormats;
  private readonly db: DatabaseSync;
  private readonly sql: StoreStatements;
  private cachedKnowledge: Knowledge;
  private cachedForgotten: Knowledge;
  private cachedTick: number;
  private synchronous: 'FULL' | 'NORMAL' = 'NORMAL';
  /** True where the file system had no shared memory for WAL: the store holds its file exclusively while open. */
  readonly exclusive: boolean;

  private constructor(file: string, db: DatabaseSync, exclusive: boolean) {
    this.path = file;
    this.exclusive = exclusive;
    this.db = db;
    this.sql = new StoreStatements(db);
    const row = this.sql.readReplica.get();
    if (!row) throw new MetadataCorruptError(file, 'the replica row is missing');
    this.replicaId = String(row.replica_id);
    this.idFormats = JSON.parse(String(row.id_formats)) as IdFormats;
    this.cachedTick = Number(row.tick_count);
    this.cachedKnowledge = decodeKnowledge(row.knowledge as Uint8Array);
    this.cachedForgotten = decodeKnowledge(row.forgotten as Uint8Array);
  }

  /**
   * Opens (or creates) the store at `options.path`. Throws METADATA_FOREIGN / METADATA_CORRUPT, never replaces.
   * Where the file system offers no shared memory for WAL's index (FAT or exFAT through FUSE, most network shares:
   * SQLite fails with an SQLITE_IOERR_SHM* code), the store is opened again in exclusive locking mode, where WAL
   * keeps its index in the process's own memory: the same journal and durability, one connection at a time (the
   * root lock already allows no more).
   */
  static open(options: OpenMetadataStoreOptions): MetadataStore {
    fs.mkdirSync(path.dirname(options.path), { recursive: true });
    const existed = fs.existsSync(options.path) && fs.statSync(options.path).size > 0;
    try {
      return MetadataStore.connect(options, existed, false);
    } catch (error) {
      if (!lacksSharedMemory(error)) throw error;
      return MetadataStore.connect(options, existed, true);
    }
  }

  private static connect(options: OpenMetadataStoreOptions, existed: boolean, exclusive: boolean): MetadataStore {
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(options.path);
    } catch (error) {
      throw new MetadataCorruptError(options.path, `SQLite cannot open it: ${(error as Error).message}`, error);
    }
    try {
      // Before anything reads the file: a WAL database is opened without shared memory only in this mode.
      if (exclusive) db.exec('PRAGMA locking_mode = EXCLUSIVE');
      // Ownership is checked before anything writes (switching to WAL rewrites the header of a foreign file). A
      // file with no application id and no schema at all is a creation that was killed before its first commit.
      const initialized = existed && !isEmptyDatabase(db);
      if (initialized) checkOwnership(db, options.path);
      // A larger cache and checkpoint interval keep big initial syncs from stalling on checkpoint fsyncs; the
      // WAL file is cut back after a checkpoint so one big sync does not leave it large. `synchronous` is set per
      // commit (see `commit`). Temporary files (statement journals of the multi-row upserts, sorts) stay in
      // memory: they only serve to undo one statement inside a transaction, never crash recovery (the WAL does),
      // so durability is unchanged and a big commit no longer writes thousands of small temp files.
      db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192; PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY;',
      );
      if (!initialized) createSchema(db, parseReplicaId(options.replicaId()), options.idFormats ?? DEFAULT_ID_FORMATS);
      return new MetadataStore(options.path, db, exclusive);
    } catch (error) {
      db.close();
      if (error instanceof SyncError) throw error;
      // A full disk is not damage: the file is fine (or not yet created), there is only no room to write it.
      if (isDiskFull(error) || driveIsFull(path.dirname(options.path))) throw new MetadataDiskFullError(options.path, error);
      throw new MetadataCorruptError(options.path, (error as Error).message, error);
    }
  }

  /** The replica's current knowledge (key 0 = this replica). */
  knowledge(): Knowledge {
    return this.cachedKnowledge;
  }

  /** Knowledge of changes whose tombstones may have been purged. */
  forgottenKnowledge(): Knowledge {
    return this.cachedForgotten;
  }

  /** The highest tick this replica has used. */
  tickCount(): number {
    return this.cachedTick;
  }

  /** One item's metadata. */
  getItem(itemId: ItemId): ItemRecord | undefined {
    return recordsOf(rowsOf(this.sql.readItem, itemId))[0];
  }

  /** Several items' metadata, by id, in one statement. */
  getItems(itemIds: Iterable<ItemId>): Map<ItemId, ItemRecord> {
    return byId(recordsOf(rowsOf(this.sql.recordsByIds, JSON.stringify([...itemIds]))));
  }

  /** The live items holding any of `names`, by name. */
  findLiveItemsByNames(names: Iterable<string>): Map<string, ItemRecord> {
    const out = new Map<string, ItemRecord>();
    // Like `findLiveItemByName`, the smallest item id wins should two live items share a name.
    for (const record of recordsOf(rowsOf(this.sql.recordsByNames, JSON.stringify([...names])))) if (!out.has(record.name)) out.set(record.name, record);
    return out;
  }

  /** The live (not deleted) item called `name`, if any. */
  findLiveItemByName(name: string): ItemRecord | undefined {
    return recordsOf(rowsOf(this.sql.readLiveByName, name))[0];
  }

  /** Whether a deleted item (a tombstone) is called `name`. Not indexed: for rare checks, not per item of a sync. */
  hasTombstoneNamed(name: string): boolean {
    return this.db.prepare('SELECT 1 FROM items WHERE name = ? AND deleted = 1 LIMIT 1').get(name) !== undefined;
  }

  /**
   * Ids of items with an item-level or unit version above `minimumTicks[key]` for some replica key (keys past
   * the end count as 0), sorted and without duplicates. Walks the change-tick indexes, so the cost follows the
   * number of such changes.
   */
  changedItemIds(minimumTicks: readonly number[]): ItemId[] {
    const lists: ItemId[][] = [];
    for (let key = 0; key < this.cachedKnowledge.keyMap.length; key++) {
      const ids = idsOf(this.sql.itemsChangedAbove.get(key, minimumTicks[key] ?? 0));
      if (ids.length > 0) lists.push(ids);
    }
    const [only] = lists;
    if (lists.length === 1 && only) return sortedIds(only);
    return sortedIds([...new Set(lists.flat())]);
  }

  /** Every item id (live and tombstones), sorted. Used by full enumeration only. */
  allItemIds(): ItemId[] {
    return sortedIds(idsOf(this.sql.allItemIds.get()));
  }

  /** Every live item's metadata. Used by replicas that detect changes with a full scan. */
  liveItems(): ItemRecord[] {
    return recordsOf(rowsOf(this.sql.allLiveRecords));
  }

  /**
   * Writes records, removals, knowledge and tick count in one transaction: all or nothing, and durable against a
   * killed process (WAL). A commit that uses new local ticks is also durable against power loss (the WAL is
   * synced): were it lost after its versions reached another replica, its ticks would be used again for other
   * changes, which that replica would then believe it knows. Other commits (remote changes and what they teach)
   * reach the disk at the next checkpoint or synced commit, in order; losing the last ones to a power cut is
   * like a crash between the data and the metadata writes, which the next session repairs.
   */
  commit(change: StoreCommit): void {
    const knowledge = encodeKnowledge(change.knowledge);
    this.setSynchronous(change.tickCount > this.cachedTick ? 'FULL' : 'NORMAL');
    this.transaction(() => {
      if (change.removals?.length) this.sql.deleteItems.runAll(change.removals);
      if (change.records?.length) this.writeRecords(change.records);
      this.sql.writeKnowledge.run(knowledge, change.tickCount);
    });
    this.cachedKnowledge = change.knowledge;
    this.cachedTick = change.tickCount;
  }

  /**
   * Removes tombstones chosen by `shouldPurge` and adds their versions to the forgotten knowledge, in one
   * transaction. Returns how many were purged.
   */
  purgeTombstones(shouldPurge: (record: ItemRecord) => boolean): number {
    const purged = recordsOf(rowsOf(this.sql.allTombstoneRecords)).filter(shouldPurge);
    if (purged.length === 0) return 0;
    const vector: number[] = [];
    for (const record of purged) vector[record.version.key] = Math.max(vector[record.version.key] ?? 0, record.version.tick);
    const dense = Array.from({ length: vector.length }, (_, key) => vector[key] ?? 0);
    const forgotten = this.cachedForgotten.union(Knowledge.of(this.cachedKnowledge.keyMap, dense, [], []));
    this.transaction(() => {
      this.sql.deleteItems.runAll(purged.map((record) => record.itemId));
      this.sql.writeForgotten.run(encodeKnowledge(forgotten));
    });
    this.cachedForgotten = forgotten;
    return purged.length;
  }

  /** Result of `PRAGMA integrity_check` ("ok" when healthy). */
  integrityCheck(): string {
    return this.db.prepare('PRAGMA integrity_check').all().map((row) => String(row.integrity_check)).join('; ');
  }

  /** Counts of items and tombstones, for diagnostics. */
  counts(): { live: number; tombstones: number } {
    const row = this.sql.counts.get();
    return { live: Number(row?.live ?? 0), tombstones: Number(row?.tombstones ?? 0) };
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /**
   * Upserts the items, then replaces their units, a few hundred rows per statement. A record listed twice
   * counts once, as its last occurrence (what writing them one after the other would leave).
   */
  private writeRecords(records: readonly ItemRecord[]): void {
    const latest = new Map<ItemId, ItemRecord>();
    for (const record of records) latest.set(record.itemId, record);
    const items: SQLInputValue[] = [];
    const units: SQLInputValue[] = [];
    for (const { itemId, name, created, version, deleted, units: unitRecords } of latest.values()) {
      items.push(itemId, name, created.key, created.tick, version.key, version.tick, deleted ? 1 : 0);
      for (const unit of unitRecords) units.push(itemId, unit.unitId, unit.version.key, unit.version.tick, unit.hash);
    }
    this.sql.upsertItems.runAll(items);
    this.sql.deleteUnitsOf.runAll([...latest.keys()]);
    this.sql.insertUnits.runAll(units);
  }

  private setSynchronous(mode: 'FULL' | 'NORMAL'): void {
    if (mode === this.synchronous) return;
    this.db.exec(`PRAGMA synchronous = ${mode}`);
    this.synchronous = mode;
  }

  /** One write transaction; a full disk is `MetadataDiskFullError` (the store keeps its previous state). */
  private transaction(body: () => void): void {
    try {
      inTransaction(this.db, body);
    } catch (error) {
      throw isDiskFull(error) ? new MetadataDiskFullError(this.path, error) : error;
    }
  }
}

/** The rows of a statement prepared with `setReturnArrays(true)`. */
function rowsOf(statement: StatementSync, ...parameters: SQLInputValue[]): readonly (readonly SQLOutputValue[])[] {
  return statement.all(...parameters) as unknown as readonly (readonly SQLOutputValue[])[];
}

/**
 * Records from rows `[group, item columns…, unit columns…]` (see `RECORD_COLUMNS`): consecutive rows with the
 * same group and item id are one item, a NULL unit id an item without units.
 */
function recordsOf(rows: readonly (readonly SQLOutputValue[])[]): ItemRecord[] {
  const out: ItemRecord[] = [];
  let group: SQLOutputValue = null;
  let current: { itemId: ItemId; units: UnitRecord[] } | undefined;
  for (const row of rows) {
    const itemId = String(row[1]);
    if (!current || row[0] !== group || itemId !== current.itemId) {
      group = row[0] ?? null;
      current = { itemId, units: [] };
      const created = { key: Number(row[3]), tick: Number(row[4]) };
      out.push({ itemId, name: String(row[2]), created, version: { key: Number(row[5]), tick: Number(row[6]) }, deleted: row[7] === 1, units: current.units });
    }
    if (row[8] !== null) current.units.push({ unitId: String(row[8]), version: { key: Number(row[9]), tick: Number(row[10]) }, hash: row[11] === null ? null : String(row[11]) });
  }
  return out;
}

function byId(records: readonly ItemRecord[]): Map<ItemId, ItemRecord> {
  return new Map(records.map((record) => [record.itemId, record]));
}

/** The ids of a `json_group_array(item_id) AS ids` row. */
function idsOf(row: Record<string, SQLOutputValue> | undefined): ItemId[] {
  return JSON.parse(String(row?.ids ?? '[]')) as ItemId[];
}

/**
 * Sorts ids in place by UTF-16 code units (the engine's item-id order). SQLite returns them sorted by UTF-8
 * bytes, the same order unless ids mix astral characters with U+E000–U+FFFF, so this is usually one pass.
 */
function sortedIds(ids: ItemId[]): ItemId[] {
  for (let index = 1; index < ids.length; index++) if ((ids[index - 1] ?? '') >= (ids[index] ?? '')) return ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids;
}

/** Numbered schema files in order. */
function schemaFiles(): string[] {
  return fs.readdirSync(SCHEMA_DIR).filter((name) => /^\d\d-.+\.sql$/.test(name)).sort();
}

function createSchema(db: DatabaseSync, replicaId: ReplicaId, idFormats: IdFormats): void {
  const files = schemaFiles();
  const empty = encodeKnowledge(Knowledge.empty(replicaId));
  inTransaction(db, () => {
    for (const file of files) db.exec(fs.readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
    db.prepare('INSERT INTO replica (id, replica_id, id_formats, tick_count, knowledge, forgotten) VALUES (1, ?, ?, 0, ?, ?)').run(replicaId, JSON.stringify(idFormats), empty, empty);
    db.exec(`PRAGMA application_id = ${METADATA_APPLICATION_ID}; PRAGMA user_version = ${files.length};`);
  });
}

/** No application id, no schema version and no schema object: nothing in it to lose (as in the state store). */
// SQLite's extended result codes SQLITE_IOERR_SHMOPEN, _SHMSIZE, _SHMLOCK and _SHMMAP: no shared memory here.
const SHARED_MEMORY_ERRORS = new Set([4618, 4874, 5130, 5386]);

/** True when opening failed because the file system offers no shared memory (see `MetadataStore.open`). */
function lacksSharedMemory(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause ?? error) : error;
  const code = (cause as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && SHARED_MEMORY_ERRORS.has(code);
}

function isEmptyDatabase(db: DatabaseSync): boolean {
  const applicationId = Number(db.prepare('PRAGMA application_id').get()?.application_id ?? 0);
  const userVersion = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  const objects = Number(db.prepare('SELECT count(*) AS n FROM sqlite_schema').get()?.n ?? 0);
  return applicationId === 0 && userVersion === 0 && objects === 0;
}

function checkOwnership(db: DatabaseSync, file: string): void {
  const applicationId = Number(db.prepare('PRAGMA application_id').get()?.application_id ?? 0);
  const userVersion = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (applicationId !== METADATA_APPLICATION_ID) throw new MetadataForeignError(file, `application id ${applicationId.toString(16)}`);
  const known = schemaFiles().length;
  if (userVersion > known) throw new MetadataForeignError(file, `schema version ${userVersion} is newer than this Sync Center understands (${known})`);
  if (userVersion < known) throw new MetadataCorruptError(file, `schema version ${userVersion} was never completed`);
}
