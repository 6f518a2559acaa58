/**
 * The schedule calls of the control API (listSchedules, saveSchedule, removeSchedule, enableSchedule): they
 * validate against the contract and the live handler list, store, and let the scheduler re-plan. Every answer
 * carries the schedule's computed next run.
 */
import type { z } from 'zod';
import { calls, type CallRequest, type CallResponse, type Calls } from '../control/contract.ts';
import { describeIssues, parseInHostLanguage } from '../control/requestIssues.ts';
import { ControlError } from '../control/result.ts';
import type { Schedule, ScheduleTrigger } from '../control/schemas.ts';
import type { ScheduleStore, StoredSchedule } from '../store/state/scheduleStore.ts';
import type { WatchPlan } from './itemWatch.ts';
import { sortWeekdays } from './nextRun.ts';
import type { Scheduler } from './scheduler.ts';
import { describeTrigger, scheduleText } from './scheduleText.ts';

type ScheduleCall = 'listSchedules' | 'saveSchedule' | 'removeSchedule' | 'enableSchedule';

export interface ScheduleCallDeps {
  readonly store: ScheduleStore;
  readonly scheduler: Scheduler;
  readonly now: () => number;
  readonly newId: () => string;
  /** A handler's item ids; throws NOT_FOUND for an unknown handler. */
  readonly handlerItems: (handlerId: string) => Promise<readonly string[]>;
  readonly watchPlan: (handlerId: string, itemId: string) => Promise<WatchPlan | null>;
}

export type ScheduleCalls = { readonly [K in ScheduleCall]: (request: CallRequest<K>) => Promise<CallResponse<K>> };

/** Creates the calls. In-process callers skip the transports' validation, so each call parses its request too. */
export function createScheduleCalls(deps: ScheduleCallDeps): ScheduleCalls {
  const { store, scheduler } = deps;
  const toDto = (schedule: StoredSchedule): Schedule => ({
    id: schedule.id,
    name: schedule.name,
    enabled: schedule.enabled,
    handlerId: schedule.handlerId,
    itemIds: schedule.itemIds === null ? null : [...schedule.itemIds],
    trigger: schedule.trigger,
    conditions: schedule.conditions,
    lastRunTime: schedule.lastRunTime,
    nextRunTime: scheduler.nextRunTime(schedule),
  });
  const existing = (id: string): StoredSchedule => {
    const schedule = store.get(id);
    if (schedule === undefined) throw new ControlError('NOT_FOUND', scheduleText()('error.noSchedule', { id }));
    return schedule;
  };
  const saved = (schedule: StoredSchedule): Schedule => {
    store.put(schedule);
    scheduler.reload();
    return toDto(store.get(schedule.id) ?? schedule);
  };

  return {
    async listSchedules(raw) {
      const request = parse('listSchedules', raw);
      return scheduler.list().filter((schedule) => request.handlerId === undefined || schedule.handlerId === request.handlerId).map(toDto);
    },

    async saveSchedule(raw) {
      const request = parse('saveSchedule', raw);
      const previous = request.id === undefined ? undefined : existing(request.id);
      const itemIds = await checkTarget(deps, request.handlerId, request.itemIds ?? null, request.trigger);
      const trigger = normalized(request.trigger);
      const now = deps.now();
      return saved({
        id: previous?.id ?? deps.newId(),
        name: request.name ?? describeTrigger(trigger),
        enabled: request.enabled ?? previous?.enabled ?? true,
        handlerId: request.handlerId,
        itemIds,
        trigger,
        conditions: request.conditions ?? { acPowerOnly: false, minIntervalMinutes: null },
        createdTime: previous?.createdTime ?? now,
        // An edit counts the schedule's times from now, so a changed time never looks missed.
        updatedTime: now,
        lastRunTime: previous?.lastRunTime ?? null,
      });
    },

    async removeSchedule(raw) {
      const request = parse('removeSchedule', raw);
      if (!store.remove(request.id)) throw new ControlError('NOT_FOUND', scheduleText()('error.noSchedule', { id: request.id }));
      scheduler.reload();
      return {};
    },

    async enableSchedule(raw) {
      const request = parse('enableSchedule', raw);
      const schedule = existing(request.id);
      if (schedule.enabled === request.enabled) return toDto(schedule);
      // Re-enabled: count from now, so what fell due while it was off does not all run at once.
      return saved({ ...schedule, enabled: request.enabled, updatedTime: request.enabled ? deps.now() : schedule.updatedTime });
    },
  };
}

/**
 * Takes a deleted item out of every schedule that names it: a schedule left with no item is removed, one with
 * other items keeps them. Returns how many schedules changed (the scheduler re-plans once if any did).
 */
export function forgetScheduledItem(store: ScheduleStore, scheduler: Scheduler, handlerId: string, itemId: string): number {
  let changed = 0;
  for (const schedule of store.list()) {
    if (schedule.handlerId !== handlerId || schedule.itemIds?.includes(itemId) !== true) continue;
    const itemIds = schedule.itemIds.filter((candidate) => candidate !== itemId);
    if (itemIds.length === 0) store.remove(schedule.id);
    else store.put({ ...schedule, itemIds });
    changed += 1;
  }
  if (changed > 0) scheduler.reload();
  return changed;
}

function parse<K extends ScheduleCall>(name: K, raw: unknown): z.output<Calls[K]['request']> {
  const parsed = parseInHostLanguage(calls[name].request, raw ?? {});
  if (!parsed.success) throw new ControlError('BAD_REQUEST', scheduleText()('error.badRequest', { call: name, issues: describeIssues(parsed.error) }));
  return parsed.data as z.output<Calls[K]['request']>;
}

/** The handler must exist, and so must each named item; "when files change" needs items with files to watch. */
async function checkTarget(deps: ScheduleCallDeps, handlerId: string, itemIds: readonly string[] | null, trigger: ScheduleTrigger): Promise<string[] | null> {
  const known = new Set(await deps.handlerItems(handlerId));
  if (itemIds === null) return null;
  const unique = [...new Set(itemIds)];
  for (const itemId of unique) {
    if (!known.has(itemId)) throw new ControlError('NOT_FOUND', scheduleText()('error.noItem', { handlerId, itemId }));
    if (trigger.kind === 'fileChange' && (await deps.watchPlan(handlerId, itemId)) === null) {
      throw new ControlError('NOT_SUPPORTED', scheduleText()('error.nothingToWatch', { itemId, handlerId }));
    }
  }
  return unique;
}

function normalized(trigger: ScheduleTrigger): ScheduleTrigger {
  return trigger.kind === 'timeOfDay' ? { ...trigger, weekdays: sortWeekdays(trigger.weekdays) } : trigger;
}
