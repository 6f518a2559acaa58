/**
 * Handler and item settings (enabled, active), each item's last result, and items committed during sessions.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { SyncState } from '../../control/schemas.ts';

export interface HandlerSettings {
  readonly enabled: boolean;
  readonly active: boolean;
}

export interface ItemSettings {
  readonly enabled: boolean;
  readonly lastSyncTime: number | null;
  readonly lastState: SyncState | null;
  readonly lastErrors: number;
}

export interface CommittedItem {
  readonly itemId: string;
  readonly name: string;
  readonly comment: string;
}

export interface SettingsStore {
  handler(handlerId: string): HandlerSettings;
  setHandler(handlerId: string, change: Partial<HandlerSettings>): void;
  item(handlerId: string, itemId: string): ItemSettings;
  setItemEnabled(handlerId: string, itemId: string, enabled: boolean): void;
  recordItemResult(handlerId: string, itemId: string, state: SyncState, errors: number, time: number): void;
  commitItem(handlerId: string, item: CommittedItem): void;
  committedItems(handlerId: string): CommittedItem[];
  /** Forgets an item entirely (settings and commitment). */
  forgetItem(handlerId: string, itemId: string): void;
}

type ItemRow = { enabled: number; last_sync_time: number | null; last_state: SyncState | null; last_errors: number };

export function createSettingsStore(db: DatabaseSync): SettingsStore {
  const ensureItem = db.prepare('INSERT OR IGNORE INTO item_settings (handler_id, item_id, enabled) VALUES (?, ?, 1)');
  return {
    handler(handlerId) {
      const row = db.prepare('SELECT enabled, active FROM handler_settings WHERE handler_id = ?').get(handlerId) as { enabled: number; active: number } | undefined;
      return { enabled: row === undefined || row.enabled === 1, active: row === undefined || row.active === 1 };
    },
    setHandler(handlerId, change) {
      const next = { ...this.handler(handlerId), ...change };
      db.prepare('INSERT INTO handler_settings (handler_id, enabled, active) VALUES (?, ?, ?) ON CONFLICT (handler_id) DO UPDATE SET enabled = excluded.enabled, active = excluded.active').run(
        handlerId,
        next.enabled ? 1 : 0,
        next.active ? 1 : 0,
      );
    },
    item(handlerId, itemId) {
      const row = db.prepare('SELECT enabled, last_sync_time, last_state, last_errors FROM item_settings WHERE handler_id = ? AND item_id = ?').get(handlerId, itemId) as
        | ItemRow
        | undefined;
      if (row === undefined) return { enabled: true, lastSyncTime: null, lastState: null, lastErrors: 0 };
      const lastSyncTime = row.last_sync_time === null ? null : Number(row.last_sync_time);
      return { enabled: row.enabled === 1, lastSyncTime, lastState: row.last_state, lastErrors: Number(row.last_errors) };
    },
    setItemEnabled(handlerId, itemId, enabled) {
      ensureItem.run(handlerId, itemId);
      db.prepare('UPDATE item_settings SET enabled = ? WHERE handler_id = ? AND item_id = ?').run(enabled ? 1 : 0, handlerId, itemId);
    },
    recordItemResult(handlerId, itemId, state, errors, time) {
      ensureItem.run(handlerId, itemId);
      db.prepare('UPDATE item_settings SET last_sync_time = ?, last_state = ?, last_errors = ? WHERE handler_id = ? AND item_id = ?').run(time, state, errors, handlerId, itemId);
    },
    commitItem(handlerId, item) {
      db.prepare('INSERT INTO committed_items (handler_id, item_id, name, comment) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET name = excluded.name, comment = excluded.comment').run(
        handlerId,
        item.itemId,
        item.name,
        item.comment,
      );
    },
    committedItems(handlerId) {
      const rows = db.prepare('SELECT item_id, name, comment FROM committed_items WHERE handler_id = ? ORDER BY rowid').all(handlerId) as { item_id: string; name: string; comment: string }[];
      return rows.map((row) => ({ itemId: row.item_id, name: row.name, comment: row.comment }));
    },
    forgetItem(handlerId, itemId) {
      db.prepare('DELETE FROM item_settings WHERE handler_id = ? AND item_id = ?').run(handlerId, itemId);
      db.prepare('DELETE FROM committed_items WHERE handler_id = ? AND item_id = ?').run(handlerId, itemId);
    },
  };
}
