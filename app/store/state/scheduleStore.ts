/**
 * Schedules (app/schedules owns their meaning): one row per schedule with its target, trigger, conditions and
 * the time it last started a sync. Rows that no longer parse against the contract are skipped, never guessed at.
 */
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import { scheduleConditionsSchema, scheduleTriggerSchema, type ScheduleConditions, type ScheduleTrigger } from '../../control/schemas.ts';

/** A schedule as stored. */
export interface StoredSchedule {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly handlerId: string;
  /** null: every enabled item of the handler. */
  readonly itemIds: readonly string[] | null;
  readonly trigger: ScheduleTrigger;
  readonly conditions: ScheduleConditions;
  readonly createdTime: number;
  /** When the user last created, edited or re-enabled it; timed triggers count from here or the last run. */
  readonly updatedTime: number;
  readonly lastRunTime: number | null;
}

export interface ScheduleStore {
  /** Every valid schedule in creation order. */
  list(): StoredSchedule[];
  get(id: string): StoredSchedule | undefined;
  /** Inserts a new schedule or replaces the one with the same id (keeping its place in the order). */
  put(schedule: StoredSchedule): void;
  /** Removes a schedule; false if there was none. */
  remove(id: string): boolean;
  /** Records that the schedule started a sync at `time`. */
  recordRun(id: string, time: number): void;
}

type Row = {
  id: string;
  name: string;
  enabled: number;
  handler_id: string;
  item_ids: string | null;
  trigger: string;
  conditions: string;
  created_time: number;
  updated_time: number;
  last_run_time: number | null;
};

const itemIdsSchema = z.array(z.string()).nullable();
const columns = 'id, name, enabled, handler_id, item_ids, trigger, conditions, created_time, updated_time, last_run_time';

export function createScheduleStore(db: DatabaseSync): ScheduleStore {
  const selectAll = db.prepare(`SELECT ${columns} FROM schedules ORDER BY seq`);
  const selectOne = db.prepare(`SELECT ${columns} FROM schedules WHERE id = ?`);
  const upsert = db.prepare(
    `INSERT INTO schedules (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled, handler_id = excluded.handler_id,
       item_ids = excluded.item_ids, trigger = excluded.trigger, conditions = excluded.conditions,
       updated_time = excluded.updated_time, last_run_time = excluded.last_run_time`,
  );
  const deleteOne = db.prepare('DELETE FROM schedules WHERE id = ?');
  const updateRun = db.prepare('UPDATE schedules SET last_run_time = ? WHERE id = ?');
  return {
    list: () => (selectAll.all() as Row[]).map(fromRow).filter((schedule) => schedule !== null),
    get: (id) => fromRow(selectOne.get(id) as Row | undefined) ?? undefined,
    put(schedule) {
      upsert.run(
        schedule.id,
        schedule.name,
        schedule.enabled ? 1 : 0,
        schedule.handlerId,
        schedule.itemIds === null ? null : JSON.stringify(schedule.itemIds),
        JSON.stringify(schedule.trigger),
        JSON.stringify(schedule.conditions),
        schedule.createdTime,
        schedule.updatedTime,
        schedule.lastRunTime,
      );
    },
    remove: (id) => Number(deleteOne.run(id).changes) > 0,
    recordRun: (id, time) => void updateRun.run(time, id),
  };
}

function fromRow(row: Row | undefined): StoredSchedule | null {
  if (row === undefined) return null;
  const trigger = scheduleTriggerSchema.safeParse(parseJson(row.trigger));
  const conditions = scheduleConditionsSchema.safeParse(parseJson(row.conditions));
  const itemIds = itemIdsSchema.safeParse(row.item_ids === null ? null : parseJson(row.item_ids));
  if (!trigger.success || !conditions.success || !itemIds.success) return null;
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled === 1,
    handlerId: row.handler_id,
    itemIds: itemIds.data,
    trigger: trigger.data,
    conditions: conditions.data,
    createdTime: Number(row.created_time),
    updatedTime: Number(row.updated_time),
    lastRunTime: row.last_run_time === null ? null : Number(row.last_run_time),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
