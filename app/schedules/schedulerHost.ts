/**
 * The scheduler's view of the host: item lists, what to watch for an item, and starting a triggered sync through
 * the same calls a click uses (so it joins the same queue and shows the same progress), after an information
 * event in Sync Results that says which schedule started it and why. That event is the trigger mark: its name is
 * "Automatic sync", its description names the schedule and the trigger, and its `context` is JSON
 * `{"trigger": kind, "scheduleId": id, "reason": "due" | "missed" | "event" | "changes"}` for programs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PairItemStore } from '../handlers/pairItemStore.ts';
import type { HandlerRegistry } from '../runtime/handlerRegistry.ts';
import type { EventReport, SyncItem } from '../runtime/syncHandler.ts';
import type { HostCoreCalls } from '../sessions/hostCore.ts';
import type { SettingsStore } from '../store/state/settingsStore.ts';
import type { WatchPlan } from './itemWatch.ts';
import type { SchedulerHost, TriggeredRun } from './scheduler.ts';
import { describeTrigger, scheduleText } from './scheduleText.ts';

export interface SchedulerHostDeps {
  readonly core: Pick<HostCoreCalls, 'startHandlerSync' | 'startItemSync'>;
  readonly registry: HandlerRegistry;
  /** Enabled flags of handlers and items, and items committed during sessions. */
  readonly settings: Pick<SettingsStore, 'handler' | 'item' | 'committedItems'>;
  /** Records an event in Sync Results and tells subscribers. */
  readonly recordEvent: (handlerId: string, report: EventReport) => void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

export function createSchedulerHost(deps: SchedulerHostDeps): SchedulerHost {
  const { registry, settings } = deps;
  const loadedOf = (handlerId: string) => registry.list().find((candidate) => candidate.handler.id === handlerId);
  /** A handler's items as the host lists them: its own plus those committed during sessions. */
  const itemsOf = async (handlerId: string): Promise<SyncItem[]> => {
    const loaded = loadedOf(handlerId);
    if (loaded === undefined) return [];
    const own = [...(await loaded.handler.items())];
    const ids = new Set(own.map((item) => item.id));
    const committed = settings.committedItems(handlerId).filter((item) => !ids.has(item.itemId));
    return [...own, ...committed.map((item) => ({ id: item.itemId, name: item.name }))];
  };
  return {
    itemIds: async (handlerId) => (await itemsOf(handlerId)).map((item) => item.id),
    watchPlan: (handlerId, itemId) => watchPlanOf(registry, handlerId, itemId),
    async start(run) {
      const { handlerId } = run.schedule;
      if (loadedOf(handlerId) === undefined || !settings.handler(handlerId).enabled) {
        deps.log('debug', `schedule "${run.schedule.name}" skipped: handler ${handlerId} is not registered or disabled`);
        return;
      }
      // The items a click could start now: enabled, connected, allowed; vanished ones are dropped.
      const runnable = (await itemsOf(handlerId))
        .filter((item) => item.connected !== false && item.capabilities?.preventStartSync !== true && settings.item(handlerId, item.id).enabled)
        .map((item) => item.id);
      const itemIds = run.itemIds === null ? null : run.itemIds.filter((itemId) => runnable.includes(itemId));
      if ((itemIds ?? runnable).length === 0) return;
      for (const itemId of itemIds ?? [null]) deps.recordEvent(handlerId, { itemId, ...triggerEvent(run) });
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
