/**
 * Open conflicts, with the handler's private data needed to resolve them. Rows leave on resolution or removal.
 * A conflict reported again (same handler, item, kind and name: a saved conflict that the next sync meets again)
 * updates the open one and keeps its id and the time it was first detected, so the list never fills with duplicates.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Conflict, ConflictVersion } from '../../control/schemas.ts';
import type { ConflictReport, StoredConflict } from '../../runtime/syncHandler.ts';
import { whereEqual } from './sqlFilter.ts';

/** Filters for listing. */
export interface ConflictFilter {
  readonly handlerId?: string;
  readonly itemId?: string;
  readonly kind?: string;
}

/** What `add` did: the open conflict, and whether it is new (not one this item already had open). */
export interface AddedConflict {
  readonly conflict: StoredConflict;
  readonly added: boolean;
}

export interface ConflictStore {
  add(handlerId: string, report: ConflictReport): AddedConflict;
  list(filter: ConflictFilter): StoredConflict[];
  get(id: string): StoredConflict | undefined;
  remove(ids: readonly string[]): number;
  /** Removes the item's conflicts (all, or all but `keep`); returns the removed ids. */
  removeForItem(handlerId: string, itemId: string, keep?: readonly string[]): string[];
  count(handlerId: string, itemId?: string): number;
}

type Row = { id: string; handler_id: string; item_id: string; kind: string; name: string; description: string; versions: string; data: string | null; detected_time: number };

export function createConflictStore(db: DatabaseSync, now: () => number, newId: () => string): ConflictStore {
  const insert = db.prepare(
    'INSERT INTO conflicts (id, handler_id, item_id, kind, name, description, versions, data, detected_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const removeOne = db.prepare('DELETE FROM conflicts WHERE id = ?');
  const findSame = db.prepare('SELECT id, detected_time FROM conflicts WHERE handler_id = ? AND item_id = ? AND kind = ? AND name = ? ORDER BY seq LIMIT 1');
  const update = db.prepare('UPDATE conflicts SET description = ?, versions = ?, data = ? WHERE id = ?');
  return {
    add(handlerId, report) {
      const kind = report.kind.slice(0, 64) || 'conflict';
      const name = report.name.slice(0, 1024);
      const same = findSame.get(handlerId, report.itemId, kind, name) as { id: string; detected_time: number } | undefined;
      const stored: StoredConflict = {
        id: same?.id ?? newId(),
        handlerId,
        itemId: report.itemId,
        kind,
        name,
        description: (report.description ?? '').slice(0, 4096),
        versions: report.versions.slice(0, 8),
        data: report.data,
        // When it was first found: a sync meeting it again refreshes what it says, not when it arose.
        detectedTime: same === undefined ? now() : Number(same.detected_time),
      };
      const data = stored.data === undefined ? null : JSON.stringify(stored.data);
      if (same !== undefined) {
        update.run(stored.description ?? '', JSON.stringify(stored.versions), data, same.id);
        return { conflict: stored, added: false };
      }
      insert.run(stored.id, handlerId, stored.itemId, stored.kind, stored.name, stored.description ?? '', JSON.stringify(stored.versions), data, stored.detectedTime);
      return { conflict: stored, added: true };
    },
    list(filter) {
      const { clause, args } = whereEqual([['handler_id', filter.handlerId], ['item_id', filter.itemId], ['kind', filter.kind]]);
      return (db.prepare(`SELECT * FROM conflicts ${clause} ORDER BY seq`).all(...args) as Row[]).map(toConflict);
    },
    get(id) {
      const row = db.prepare('SELECT * FROM conflicts WHERE id = ?').get(id) as Row | undefined;
      return row === undefined ? undefined : toConflict(row);
    },
    remove: (ids) => ids.reduce((sum, id) => sum + Number(removeOne.run(id).changes), 0),
    removeForItem(handlerId, itemId, keep = []) {
      const kept = new Set(keep);
      const rows = (db.prepare('SELECT id FROM conflicts WHERE handler_id = ? AND item_id = ?').all(handlerId, itemId) as { id: string }[]).filter((row) => !kept.has(row.id));
      for (const row of rows) removeOne.run(row.id);
      return rows.map((row) => row.id);
    },
    count(handlerId, itemId) {
      const row = (itemId === undefined
        ? db.prepare('SELECT count(*) AS n FROM conflicts WHERE handler_id = ?').get(handlerId)
        : db.prepare('SELECT count(*) AS n FROM conflicts WHERE handler_id = ? AND item_id = ?').get(handlerId, itemId)) as { n: number };
      return Number(row.n);
    },
  };
}

function toConflict(row: Row): StoredConflict {
  return {
    id: row.id,
    handlerId: row.handler_id,
    itemId: row.item_id,
    kind: row.kind,
    name: row.name,
    description: row.description,
    versions: JSON.parse(row.versions) as ConflictVersion[],
    data: row.data === null ? undefined : (JSON.parse(row.data) as unknown),
    detectedTime: Number(row.detected_time),
  };
}

/** The contract shape of a stored conflict (without the handler's private data). */
export function toConflictDto(conflict: StoredConflict): Conflict {
  const { id, handlerId, itemId, kind, name, versions, detectedTime } = conflict;
  return { id, handlerId, itemId, kind, name, description: conflict.description ?? '', versions: [...versions], detectedTime };
}
