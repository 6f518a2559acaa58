/**
 * Sync Results: events reported by handlers or by the host, bounded by a retention count (oldest go first).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { EventLevel, SyncResultEvent } from '../../control/schemas.ts';
import { whereEqual } from './sqlFilter.ts';

/** A new event before the store assigns id and time. */
export interface NewEvent {
  readonly handlerId: string;
  readonly itemId: string | null;
  readonly level: EventLevel;
  readonly name: string;
  readonly description: string;
  readonly link?: string | null;
  readonly context?: string | null;
}

/** Filters for listing. */
export interface EventFilter {
  readonly handlerId?: string;
  readonly itemId?: string;
  readonly level?: EventLevel;
  readonly limit?: number;
}

export interface EventStore {
  /** Stores an event and prunes beyond retention; returns the stored event and the ids pruned. */
  add(event: NewEvent): { event: SyncResultEvent; pruned: string[] };
  list(filter: EventFilter): SyncResultEvent[];
  /** Removes the given ids, or every event when `ids` is undefined; returns how many went. */
  remove(ids?: readonly string[]): number;
  /** Removes an item's events (the item was deleted). */
  removeForItem(handlerId: string, itemId: string): number;
  /** How many error events an item has. */
  errorCount(handlerId: string, itemId: string): number;
}

type Row = { id: string; handler_id: string; item_id: string | null; level: EventLevel; name: string; description: string; link: string | null; context: string | null; time: number };

/** Creates the store; `retention` is the most events kept. */
export function createEventStore(db: DatabaseSync, now: () => number, newId: () => string, retention: number): EventStore {
  const insert = db.prepare(
    'INSERT INTO events (id, handler_id, item_id, level, name, description, link, context, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const overflow = db.prepare('SELECT id FROM events ORDER BY seq DESC LIMIT -1 OFFSET ?');
  const removeOne = db.prepare('DELETE FROM events WHERE id = ?');
  return {
    add(event) {
      const stored: SyncResultEvent = {
        id: newId(),
        handlerId: event.handlerId,
        itemId: event.itemId,
        level: event.level,
        name: event.name.slice(0, 128),
        description: event.description.slice(0, 4096),
        link: event.link?.slice(0, 2048) ?? null,
        context: event.context?.slice(0, 4096) ?? null,
        time: now(),
      };
      insert.run(stored.id, stored.handlerId, stored.itemId, stored.level, stored.name, stored.description, stored.link, stored.context, stored.time);
      const pruned = (overflow.all(retention) as { id: string }[]).map((row) => row.id);
      for (const id of pruned) removeOne.run(id);
      return { event: stored, pruned };
    },
    list(filter) {
      const { clause, args } = whereEqual([['handler_id', filter.handlerId], ['item_id', filter.itemId], ['level', filter.level]]);
      const rows = db.prepare(`SELECT * FROM events ${clause} ORDER BY seq DESC LIMIT ?`).all(...args, filter.limit ?? 1000) as Row[];
      return rows.map(toEvent);
    },
    remove(ids) {
      if (ids === undefined) return Number(db.prepare('DELETE FROM events').run().changes);
      return ids.reduce((sum, id) => sum + Number(removeOne.run(id).changes), 0);
    },
    removeForItem: (handlerId, itemId) => Number(db.prepare('DELETE FROM events WHERE handler_id = ? AND item_id = ?').run(handlerId, itemId).changes),
    errorCount(handlerId, itemId) {
      const row = db.prepare("SELECT count(*) AS n FROM events WHERE handler_id = ? AND item_id = ? AND level = 'error'").get(handlerId, itemId) as { n: number };
      return Number(row.n);
    },
  };
}

function toEvent(row: Row): SyncResultEvent {
  return {
    id: row.id,
    handlerId: row.handler_id,
    itemId: row.item_id,
    level: row.level,
    name: row.name,
    description: row.description,
    link: row.link,
    context: row.context,
    time: Number(row.time),
  };
}
