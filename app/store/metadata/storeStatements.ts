/** The prepared statements of the metadata store, kept apart so `metadataStore.ts` reads as behaviour. */
import type { DatabaseSync, StatementSync } from 'node:sqlite';

/** Prepared statements over the schema in `schema/`. */
export class StoreStatements {
  readonly readReplica: StatementSync;
  readonly writeKnowledge: StatementSync;
  readonly writeForgotten: StatementSync;
  readonly readItem: StatementSync;
  readonly readUnits: StatementSync;
  readonly readLiveByName: StatementSync;
  readonly itemsChangedAbove: StatementSync;
  readonly unitsChangedAbove: StatementSync;
  readonly allItemIds: StatementSync;
  readonly allLiveItems: StatementSync;
  readonly allTombstones: StatementSync;
  readonly upsertItem: StatementSync;
  readonly deleteUnits: StatementSync;
  readonly insertUnit: StatementSync;
  readonly deleteItem: StatementSync;
  readonly counts: StatementSync;
  readonly readItemsIn: StatementSync;
  readonly readUnitsIn: StatementSync;
  readonly readLiveByNamesIn: StatementSync;

  constructor(db: DatabaseSync) {
    this.readReplica = db.prepare('SELECT replica_id, id_formats, tick_count, knowledge, forgotten FROM replica WHERE id = 1');
    this.writeKnowledge = db.prepare('UPDATE replica SET knowledge = ?, tick_count = ? WHERE id = 1');
    this.writeForgotten = db.prepare('UPDATE replica SET forgotten = ? WHERE id = 1');
    this.readItem = db.prepare('SELECT * FROM items WHERE item_id = ?');
    this.readUnits = db.prepare('SELECT unit_id, change_key, change_tick, hash FROM units WHERE item_id = ? ORDER BY unit_id');
    this.readLiveByName = db.prepare('SELECT * FROM items WHERE name = ? AND deleted = 0 LIMIT 1');
    this.itemsChangedAbove = db.prepare('SELECT item_id FROM items WHERE change_key = ? AND change_tick > ?');
    this.unitsChangedAbove = db.prepare('SELECT item_id FROM units WHERE change_key = ? AND change_tick > ?');
    this.allItemIds = db.prepare('SELECT item_id FROM items');
    this.allLiveItems = db.prepare('SELECT * FROM items WHERE deleted = 0');
    this.allTombstones = db.prepare('SELECT * FROM items WHERE deleted = 1');
    this.upsertItem = db.prepare(
      `INSERT INTO items (item_id, name, created_key, created_tick, change_key, change_tick, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, created_key = excluded.created_key, created_tick = excluded.created_tick,
       change_key = excluded.change_key, change_tick = excluded.change_tick, deleted = excluded.deleted`,
    );
    this.deleteUnits = db.prepare('DELETE FROM units WHERE item_id = ?');
    this.insertUnit = db.prepare('INSERT INTO units (item_id, unit_id, change_key, change_tick, hash) VALUES (?, ?, ?, ?, ?)');
    this.deleteItem = db.prepare('DELETE FROM items WHERE item_id = ?');
    // Batch reads take a JSON array of keys, so a batch costs a few statements instead of a few per item.
    this.readItemsIn = db.prepare('SELECT * FROM items WHERE item_id IN (SELECT value FROM json_each(?))');
    this.readUnitsIn = db.prepare('SELECT item_id, unit_id, change_key, change_tick, hash FROM units WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY item_id, unit_id');
    this.readLiveByNamesIn = db.prepare('SELECT item_id FROM items WHERE deleted = 0 AND name IN (SELECT value FROM json_each(?))');
    this.counts = db.prepare('SELECT SUM(deleted = 0) AS live, SUM(deleted = 1) AS tombstones FROM items');
  }
}
