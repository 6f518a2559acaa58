/** The prepared statements of the metadata store, kept apart so `metadataStore.ts` reads as behaviour. */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

/**
 * Rows per multi-row statement. One statement per row costs a round trip into SQLite each; a few hundred rows
 * per statement make that overhead vanish while staying far below SQLite's 32,766 bound parameters.
 */
export const CHUNK_ROWS = 256;

/** Columns of an item with its units, as read by `recordsByIds`, `recordsByNames` and the full listings. */
const RECORD_COLUMNS = 'i.item_id, i.name, i.created_key, i.created_tick, i.change_key, i.change_tick, i.deleted, u.unit_id, u.change_key, u.change_tick, u.hash';

/**
 * A statement over `rows` rows of `?` placeholders (`sql(rows)`), prepared on first use per row count. Row counts
 * are `CHUNK_ROWS` or powers of two below it, so a store prepares at most nine per statement kind.
 */
export class MultiRowStatement {
  private readonly db: DatabaseSync;
  private readonly sql: (rows: number) => string;
  private readonly width: number;
  private readonly byRows = new Map<number, StatementSync>();

  constructor(db: DatabaseSync, width: number, sql: (rows: number) => string) {
    this.db = db;
    this.width = width;
    this.sql = sql;
  }

  /** Runs the statement over `values`: rows of `width` values laid end to end. */
  runAll(values: readonly SQLInputValue[]): void {
    const rows = values.length / this.width;
    for (let done = 0; done < rows; ) {
      const left = rows - done;
      const count = left >= CHUNK_ROWS ? CHUNK_ROWS : 2 ** Math.floor(Math.log2(left));
      this.statement(count).run(...values.slice(done * this.width, (done + count) * this.width));
      done += count;
    }
  }

  private statement(rows: number): StatementSync {
    let statement = this.byRows.get(rows);
    if (!statement) this.byRows.set(rows, (statement = this.db.prepare(this.sql(rows))));
    return statement;
  }
}

/** `(?, ?, …), (?, ?, …)…`: `rows` tuples of `width` placeholders. */
function tuples(rows: number, width: number): string {
  const tuple = `(${new Array<string>(width).fill('?').join(', ')})`;
  return new Array<string>(rows).fill(tuple).join(', ');
}

/** `?, ?, …`: `rows` placeholders. */
function list(rows: number): string {
  return new Array<string>(rows).fill('?').join(', ');
}

/** Prepared statements over the schema in `schema/`. */
export class StoreStatements {
  readonly readReplica: StatementSync;
  readonly writeKnowledge: StatementSync;
  readonly writeForgotten: StatementSync;
  readonly readItem: StatementSync;
  readonly readLiveByName: StatementSync;
  readonly itemsChangedAbove: StatementSync;
  readonly allItemIds: StatementSync;
  readonly allLiveRecords: StatementSync;
  readonly allTombstoneRecords: StatementSync;
  readonly upsertItems: MultiRowStatement;
  readonly deleteUnitsOf: MultiRowStatement;
  readonly insertUnits: MultiRowStatement;
  readonly deleteItems: MultiRowStatement;
  readonly counts: StatementSync;
  readonly recordsByIds: StatementSync;
  readonly recordsByNames: StatementSync;

  constructor(db: DatabaseSync) {
    this.readReplica = db.prepare('SELECT replica_id, id_formats, tick_count, knowledge, forgotten FROM replica WHERE id = 1');
    this.writeKnowledge = db.prepare('UPDATE replica SET knowledge = ?, tick_count = ? WHERE id = 1');
    this.writeForgotten = db.prepare('UPDATE replica SET forgotten = ? WHERE id = 1');
    this.readItem = arrays(db.prepare(`SELECT NULL, ${RECORD_COLUMNS} FROM items i LEFT JOIN units u ON u.item_id = i.item_id WHERE i.item_id = ? ORDER BY u.unit_id`));
    this.readLiveByName = arrays(
      db.prepare(`SELECT NULL, ${RECORD_COLUMNS} FROM items i LEFT JOIN units u ON u.item_id = i.item_id WHERE i.name = ? AND i.deleted = 0 ORDER BY i.item_id, u.unit_id`),
    );
    // The item ids with a version by replica key ?1 above tick ?2, as one JSON array: one value to hand over
    // instead of a row per id (an initial sync lists every item). UNION removes the duplicates.
    this.itemsChangedAbove = db.prepare(
      'SELECT json_group_array(item_id) AS ids FROM (SELECT item_id FROM items WHERE change_key = ?1 AND change_tick > ?2 UNION SELECT item_id FROM units WHERE change_key = ?1 AND change_tick > ?2)',
    );
    this.allItemIds = db.prepare('SELECT json_group_array(item_id) AS ids FROM items');
    this.upsertItems = new MultiRowStatement(
      db,
      7,
      (rows) => `INSERT INTO items (item_id, name, created_key, created_tick, change_key, change_tick, deleted) VALUES ${tuples(rows, 7)}
       ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, created_key = excluded.created_key, created_tick = excluded.created_tick,
       change_key = excluded.change_key, change_tick = excluded.change_tick, deleted = excluded.deleted`,
    );
    this.deleteUnitsOf = new MultiRowStatement(db, 1, (rows) => `DELETE FROM units WHERE item_id IN (${list(rows)})`);
    this.insertUnits = new MultiRowStatement(db, 5, (rows) => `INSERT INTO units (item_id, unit_id, change_key, change_tick, hash) VALUES ${tuples(rows, 5)}`);
    this.deleteItems = new MultiRowStatement(db, 1, (rows) => `DELETE FROM items WHERE item_id IN (${list(rows)})`);
    // Record reads join items with their units and return arrays (no object per row): a batch of records costs
    // one statement. Rows of one item are adjacent, its units in unit-id order.
    this.recordsByIds = arrays(db.prepare(`SELECT j.key, ${RECORD_COLUMNS} FROM json_each(?) j JOIN items i ON i.item_id = j.value LEFT JOIN units u ON u.item_id = i.item_id ORDER BY j.key, u.unit_id`));
    this.recordsByNames = arrays(
      db.prepare(`SELECT j.key, ${RECORD_COLUMNS} FROM json_each(?) j JOIN items i ON i.name = j.value LEFT JOIN units u ON u.item_id = i.item_id WHERE i.deleted = 0 ORDER BY j.key, i.item_id, u.unit_id`),
    );
    this.allLiveRecords = arrays(db.prepare(`SELECT NULL, ${RECORD_COLUMNS} FROM items i LEFT JOIN units u ON u.item_id = i.item_id WHERE i.deleted = 0 ORDER BY i.item_id, u.unit_id`));
    this.allTombstoneRecords = arrays(db.prepare(`SELECT NULL, ${RECORD_COLUMNS} FROM items i LEFT JOIN units u ON u.item_id = i.item_id WHERE i.deleted = 1 ORDER BY i.item_id, u.unit_id`));
    this.counts = db.prepare('SELECT SUM(deleted = 0) AS live, SUM(deleted = 1) AS tombstones FROM items');
  }
}

function arrays(statement: StatementSync): StatementSync {
  statement.setReturnArrays(true);
  return statement;
}
