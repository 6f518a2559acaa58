/**
 * The scheduler's view of the host: item lists, what to watch for an item, and starting a triggered sync through
 * the same calls a click uses (so it joins the same queue and shows the same progress), after an information
 * event in Sync Results that says which schedule started it and why. That event is the trigger mark: its name is
 * "Automatic sync", its description names the schedule and the trigger, and its `context` is JSON
 * `{"trigger": kind, "scheduleId": id, "reason": "due" | "missed" | "event" | "changes"}` for programs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HandlerSummary } from '../control/schemas.ts';
import { PairItemStore } from '../handlers/pairItemStore.ts';
import type { HandlerRegistry } from '../runtime/handlerRegistry.ts';
import type { EventReport } from '../runtime/syncHandler.ts';
import type { HostCoreCalls } from '../sessions/hostCore.ts';
import type { WatchPlan } from './itemWatch.ts';
import type { SchedulerHost, TriggeredRun } from './scheduler.ts';
import { describeTrigger, scheduleText } from './scheduleText.ts';

export interface SchedulerHostDeps {
  readonly core: Pick<HostCoreCalls, 'listHandlers' | 'startHandlerSync' | 'startItemSync'>;
  readonly registry: HandlerRegistry;
  /** Records an event in Sync Results and tells subscribers. */
  readonly recordEvent: (handlerId: string, report: EventReport) => void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export function createSchedulerHost(deps: SchedulerHostDeps): SchedulerHost {
  const handlerOf = async (handlerId: string): Promise<HandlerSummary | undefined> => (await deps.core.listHandlers()).find((handler) => handler.id === handlerId);
  return {
    itemIds: async (handlerId) => (await handlerOf(handlerId))?.items.map((item) => item.id) ?? [],
    watchPlan: (handlerId, itemId) => watchPlanOf(deps.registry, handlerId, itemId),
    async start(run) {
      const handler = await handlerOf(run.schedule.handlerId);
      if (handler === undefined || !handler.enabled) {
        deps.log('debug', `schedule "${run.schedule.name}" skipped: handler ${run.schedule.handlerId} is ${handler === undefined ? 'not registered' : 'disabled'}`);
        return;
      }
      const runnable = handler.items.filter((item) => item.enabled && item.connected).map((item) => item.id);
      const itemIds = run.itemIds === null ? null : run.itemIds.filter((itemId) => runnable.includes(itemId));
      if (itemIds !== null && itemIds.length === 0) return;
      for (const itemId of itemIds ?? [null]) deps.recordEvent(handler.id, { itemId, ...triggerEvent(run) });
      const handlerId = handler.id;
      if (itemIds === null) await deps.core.startHandlerSync({ handlerId, ignoreIfAlreadySyncing: true });
      else await deps.core.startItemSync({ handlerId, itemIds, ignoreIfAlreadySyncing: true });
    },
  };
}

/** The Sync Results line that marks what started a sync. */
export function triggerEvent(run: TriggeredRun): Omit<EventReport, 'itemId'> {
  const t = scheduleText();
  const { schedule, reason } = run;
  const trigger = describeTrigger(schedule.trigger, t);
  const description =
    reason.kind === 'changes'
      ? reason.changes.unknown
        ? t('event.catchUp', { name: schedule.name })
        : t('event.changes', { name: schedule.name, count: reason.changes.count })
      : t(reason.kind === 'missed' ? 'event.missed' : 'event.started', { name: schedule.name, trigger });
  const context = JSON.stringify({ trigger: schedule.trigger.kind, scheduleId: schedule.id, reason: reason.kind });
  return { level: 'information', name: t('event.name'), description, context };
}

/**
 * What to watch for an item: the paths it declares (`SyncItem.watchPaths`), else, for the built-in pair handlers
 * (whose items live in `<stateDir>/handlers/<id>/items.json`), both folders of a folder pair as a mirror, or both
 * files of a file pair. Null when the item has nothing to watch.
 */
export async function watchPlanOf(registry: HandlerRegistry, handlerId: string, itemId: string): Promise<WatchPlan | null> {
  const loaded = registry.list().find((candidate) => candidate.handler.id === handlerId);
  if (loaded === undefined) return null;
  const item = (await loaded.handler.items()).find((candidate) => candidate.id === itemId);
  const declared = (item?.watchPaths ?? []).filter((watched) => path.isAbsolute(watched));
  if (declared.length > 0) return { kind: 'paths', paths: declared };
  const itemsFile = path.join(loaded.registration.dataDir, 'items.json');
  if (!existsSync(itemsFile)) return null;
  const pair = new PairItemStore(loaded.registration.dataDir).list().find((candidate) => candidate.id === itemId);
  if (pair === undefined) return null;
  if (loaded.handler.info.type === 'folder') return { kind: 'mirror', left: pair.left, right: pair.right, exclude: pair.exclude };
  return { kind: 'paths', paths: [pair.left, pair.right] };
}
