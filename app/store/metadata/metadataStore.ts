/**
 * The SQLite metadata store of one replica (the seed's Metadata Storage Service): replica id, tick count,
 * knowledge, forgotten knowledge, and per item its versions, tombstone flag and change units. The only module
 * that issues SQL for sync metadata. Opened with WAL; a file that is not ours is refused, never replaced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { ItemRecord, UnitRecord } from '../../engine/changeBatch.ts';
import { MetadataCorruptError, MetadataForeignError, SyncError } from '../../engine/errors.ts';
import { DEFAULT_ID_FORMATS, parseReplicaId, type IdFormats, type ItemId, type ReplicaId } from '../../engine/ids.ts';
import { Knowledge } from '../../engine/knowledge.ts';
import { decodeKnowledge, encodeKnowledge } from '../../engine/knowledgeCodec.ts';
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

  private constructor(file: string, db: DatabaseSync) {
    this.path = file;
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

  /** Opens (or creates) the store at `options.path`. Throws METADATA_FOREIGN / METADATA_CORRUPT, never replaces. */
  static open(options: OpenMetadataStoreOptions): MetadataStore {
    fs.mkdirSync(path.dirname(options.path), { recursive: true });
    const existed = fs.existsSync(options.path) && fs.statSync(options.path).size > 0;
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(options.path);
    } catch (error) {
      throw new MetadataCorruptError(options.path, `SQLite cannot open it: ${(error as Error).message}`, error);
    }
    try {
      // Ownership is checked before anything writes (switching to WAL rewrites the header of a foreign file).
      if (existed) checkOwnership(db, options.path);
      // A larger cache and checkpoint interval keep big initial syncs from stalling on checkpoint fsyncs.
      db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = 8192;');
      if (!existed) createSchema(db, parseReplicaId(options.replicaId()), options.idFormats ?? DEFAULT_ID_FORMATS);
      return new MetadataStore(options.path, db);
    } catch (error) {
      db.close();
      if (error instanceof SyncError) throw error;
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
    const row = this.sql.readItem.get(itemId);
    return row ? this.toRecord(row) : undefined;
  }

  /** Several items' metadata, by id, in two statements. */
  getItems(itemIds: Iterable<ItemId>): Map<ItemId, ItemRecord> {
    const keys = JSON.stringify([...itemIds]);
    const units = new Map<ItemId, UnitRecord[]>();
    for (const row of this.sql.readUnitsIn.iterate(keys)) {
      const itemId = String(row.item_id);
      let list = units.get(itemId);
      if (!list) units.set(itemId, (list = []));
      list.push(toUnit(row));
    }
    const out = new Map<ItemId, ItemRecord>();
    for (const row of this.sql.readItemsIn.iterate(keys)) {
      const itemId = String(row.item_id);
      out.set(itemId, recordOf(row, units.get(itemId) ?? []));
    }
    return out;
  }

  /** The live items holding any of `names`, by name. */
  findLiveItemsByNames(names: Iterable<string>): Map<string, ItemRecord> {
    const ids = this.sql.readLiveByNamesIn.all(JSON.stringify([...names])).map((row) => String(row.item_id));
    return new Map([...this.getItems(ids).values()].map((record) => [record.name, record]));
  }

  /** The live (not deleted) item called `name`, if any. */
  findLiveItemByName(name: string): ItemRecord | undefined {
    const row = this.sql.readLiveByName.get(name);
    return row ? this.toRecord(row) : undefined;
  }

  /**
   * Ids of items with an item-level or unit version above `minimumTicks[key]` for some replica key (keys past
   * the end count as 0). Walks the change-tick indexes, so the cost follows the number of such changes.
   */
  changedItemIds(minimumTicks: readonly number[]): Set<ItemId> {
    const ids = new Set<ItemId>();
    const keys = this.cachedKnowledge.keyMap.length;
    for (let key = 0; key < keys; key++) {
      const above = minimumTicks[key] ?? 0;
      for (const row of this.sql.itemsChangedAbove.iterate(key, above)) ids.add(String(row.item_id));
      for (const row of this.sql.unitsChangedAbove.iterate(key, above)) ids.add(String(row.item_id));
    }
    return ids;
  }

  /** Every item id (live and tombstones), in no particular order. Used by full enumeration only. */
  allItemIds(): ItemId[] {
    return this.sql.allItemIds.all().map((row) => String(row.item_id));
  }

  /** Every live item's metadata. Used by replicas that detect changes with a full scan. */
  liveItems(): ItemRecord[] {
    return this.sql.allLiveItems.all().map((row) => this.toRecord(row));
  }

  /** Writes records, removals, knowledge and tick count in one transaction: all or nothing. */
  commit(change: StoreCommit): void {
    const knowledge = encodeKnowledge(change.knowledge);
    this.transaction(() => {
      for (const itemId of change.removals ?? []) this.sql.deleteItem.run(itemId);
      for (const record of change.records ?? []) this.writeRecord(record);
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
    const purged = this.sql.allTombstones.all().map((row) => this.toRecord(row)).filter(shouldPurge);
    if (purged.length === 0) return 0;
    const vector: number[] = [];
    for (const record of purged) vector[record.version.key] = Math.max(vector[record.version.key] ?? 0, record.version.tick);
    const dense = Array.from({ length: vector.length }, (_, key) => vector[key] ?? 0);
    const forgotten = this.cachedForgotten.union(Knowledge.of(this.cachedKnowledge.keyMap, dense, [], []));
    this.transaction(() => {
      for (const record of purged) this.sql.deleteItem.run(record.itemId);
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

  private writeRecord(record: ItemRecord): void {
    const { itemId, name, created, version, deleted } = record;
    this.sql.upsertItem.run(itemId, name, created.key, created.tick, version.key, version.tick, deleted ? 1 : 0);
    this.sql.deleteUnits.run(itemId);
    for (const unit of record.units) this.sql.insertUnit.run(itemId, unit.unitId, unit.version.key, unit.version.tick, unit.hash);
  }

  private toRecord(row: Record<string, unknown>): ItemRecord {
    return recordOf(row, this.sql.readUnits.all(String(row.item_id)).map(toUnit));
  }

  private transaction(body: () => void): void {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      body();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toUnit(row: Record<string, unknown>): UnitRecord {
  return { unitId: String(row.unit_id), version: { key: Number(row.change_key), tick: Number(row.change_tick) }, hash: row.hash === null ? null : String(row.hash) };
}

function recordOf(row: Record<string, unknown>, units: UnitRecord[]): ItemRecord {
  return {
    itemId: String(row.item_id),
    name: String(row.name),
    created: { key: Number(row.created_key), tick: Number(row.created_tick) },
    version: { key: Number(row.change_key), tick: Number(row.change_tick) },
    deleted: Number(row.deleted) === 1,
    units,
  };
}

/** Numbered schema files in order. */
function schemaFiles(): string[] {
  return fs.readdirSync(SCHEMA_DIR).filter((name) => /^\d\d-.+\.sql$/.test(name)).sort();
}

function createSchema(db: DatabaseSync, replicaId: ReplicaId, idFormats: IdFormats): void {
  const files = schemaFiles();
  const empty = encodeKnowledge(Knowledge.empty(replicaId));
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const file of files) db.exec(fs.readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
    db.prepare('INSERT INTO replica (id, replica_id, id_formats, tick_count, knowledge, forgotten) VALUES (1, ?, ?, 0, ?, ?)').run(replicaId, JSON.stringify(idFormats), empty, empty);
    db.exec(`PRAGMA application_id = ${METADATA_APPLICATION_ID}; PRAGMA user_version = ${files.length};`);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function checkOwnership(db: DatabaseSync, file: string): void {
  const applicationId = Number(db.prepare('PRAGMA application_id').get()?.application_id ?? 0);
  const userVersion = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
  if (applicationId !== METADATA_APPLICATION_ID) throw new MetadataForeignError(file, `application id ${applicationId.toString(16)}`);
  const known = schemaFiles().length;
  if (userVersion > known) throw new MetadataForeignError(file, `schema version ${userVersion} is newer than this Sync Center understands (${known})`);
  if (userVersion < known) throw new MetadataCorruptError(file, `schema version ${userVersion} was never completed`);
}
