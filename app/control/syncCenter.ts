/**
 * The core's composition: stores, handler runtime, session manager, scheduler and the control-API facade, built
 * from injected environment (paths, clock, timers, logger, ids, desktop signals, file watching) so it runs the
 * same under Electron, the CLI, the web host and tests. Every transport receives `api` and nothing else.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createHandlerRegistry, type HandlerRegistration } from '../runtime/handlerRegistry.ts';
import { createExternalDriver, sessionWorkers, startWorkerSession } from '../runtime/workerSessionDriver.ts';
import { createScheduleCalls, forgetScheduledItem } from '../schedules/scheduleCalls.ts';
import { Scheduler } from '../schedules/scheduler.ts';
import { createSchedulerHost, watchPlanOf } from '../schedules/schedulerHost.ts';
import { noSystemMonitor, type SystemMonitor } from '../schedules/systemMonitor.ts';
import { fsWatchSource, type WatchSource } from '../schedules/watchSource.ts';
import { zonedCalendar } from '../schedules/zonedTime.ts';
import { createHostCore } from '../sessions/hostCore.ts';
import { realTimers, type Timers } from '../runtime/timers.ts';
import { SessionManager } from '../sessions/sessionManager.ts';
import { toConflictDto as toDto } from '../store/state/conflictStore.ts';
import { openStateStore } from '../store/state/stateStore.ts';
import { createControlApi } from './controlApi.ts';
import type { ControlApi } from './contract.ts';
import { createEventBus } from './eventBus.ts';
import type { HostInfo } from './schemas.ts';
import type { EventReport } from '../runtime/syncHandler.ts';

export type { HandlerRegistration };

/** Everything environmental the core needs. */
export interface SyncCenterOptions {
  /** Where the host keeps its state (events, conflicts, settings). */
  readonly stateDir: string;
  /** The product version shown in About and diagnostics. */
  readonly version: string;
  /** How callers reach this instance. */
  readonly transport?: HostInfo['transport'];
  /** Milliseconds since the epoch; injected so tests are deterministic. */
  readonly now?: () => number;
  /** Diagnostic log sink. */
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** The handlers to host, in display order (explicit registration; nothing registers itself). */
  readonly handlers?: readonly HandlerRegistration[];
  /** The most events kept in Sync Results (default 5000). */
  readonly eventRetention?: number;
  /** How long a handler may ignore Stop before its worker is terminated (default 10 s). */
  readonly stopGraceMs?: number;
  /** Id source for events, conflicts, sessions and requests. */
  readonly newId?: () => string;
  /** Timer port for progress coalescing, the stop grace period and the scheduler. */
  readonly timers?: Timers;
  /**
   * Runs schedules and file watching in this process (Electron main, `synccenter serve`). Without it schedules
   * can still be listed and edited (one-shot CLI commands), but nothing fires.
   */
  readonly automation?: AutomationOptions;
}

/** The environment of the scheduler. */
export interface AutomationOptions {
  /** Idle time, lock/unlock and power source (Electron's powerMonitor); none by default. */
  readonly system?: SystemMonitor;
  /** File-change notifications (`fs.watch` by default). */
  readonly watchSource?: WatchSource;
  /** The IANA zone that times of day are read in (the system's by default). */
  readonly timeZone?: string;
  /** How often idle time is read while an idle schedule exists (default 30 s). */
  readonly idlePollMs?: number;
}

/** A running core. */
export interface SyncCenter {
  readonly api: ControlApi;
  /** The scheduler (running only with `automation`); `idle()` lets tests wait for triggered work. */
  readonly scheduler: Scheduler;
  close(): Promise<void>;
}

/** Builds and starts the core. Rejects with a clear error if the state database is foreign or corrupt. */
export async function createSyncCenter(options: SyncCenterOptions): Promise<SyncCenter> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const newId = options.newId ?? (() => randomUUID());
  const events = createEventBus((error) => log('error', `event listener failed: ${String(error)}`));
  const store = openStateStore(options.stateDir, { now, newId, eventRetention: options.eventRetention ?? 5000 });
  const addEvent = (handlerId: string, report: EventReport) => {
    const { event, pruned } = store.events.add({ handlerId, ...report, itemId: report.itemId ?? null });
    if (pruned.length > 0) events.publish({ type: 'eventsRemoved', ids: pruned });
    return event;
  };
  try {
    const registry = await createHandlerRegistry(options.handlers ?? [], options.stateDir, now);
    const timers = options.timers ?? realTimers;
    const sessions = new SessionManager({
      publish: (event) => events.publish(event),
      recorder: {
        addEvent,
        addConflict: (handlerId, report) => {
          const { conflict, added } = store.conflicts.add(handlerId, report);
          return { conflict: toDto(conflict), added };
        },
        pruneConflicts: (handlerId, itemId, keep) => store.conflicts.removeForItem(handlerId, itemId, keep),
        commitItem: (handlerId, item) => store.settings.commitItem(handlerId, { itemId: item.id, name: item.name, comment: item.comment ?? '' }),
        recordItemResult: (handlerId, itemId, state, errors) => store.settings.recordItemResult(handlerId, itemId, state, errors, now()),
      },
      launch: (handlerId, itemIds, onMessage) => startWorkerSession(registry.get(handlerId).registration, itemIds, onMessage),
      externalDriver: createExternalDriver,
      isConcurrent: (handlerId) => registry.get(handlerId).handler.capabilities?.concurrentSessions === true,
      reportsAllConflicts: (handlerId) => registry.get(handlerId).handler.capabilities?.reportsAllConflicts === true,
      newId,
      now,
      timers,
      stopGraceMs: options.stopGraceMs,
    });
    const scheduled: { scheduler?: Scheduler } = {};
    const core = createHostCore({ registry, sessions, store, events, log, nextScheduledTime: (handlerId, itemId) => scheduled.scheduler?.nextScheduledTime(handlerId, itemId) ?? null });
    const automation = options.automation;
    const scheduler = new Scheduler({
      store: store.schedules,
      host: createSchedulerHost({ core, registry, settings: store.settings, log, recordEvent: (handlerId, report) => events.publish({ type: 'eventReported', event: addEvent(handlerId, report) }) }),
      now,
      timers,
      calendar: zonedCalendar(automation?.timeZone),
      system: automation?.system ?? noSystemMonitor,
      watchSource: automation?.watchSource ?? fsWatchSource,
      publish: (event) => events.publish(event),
      subscribe: (listener) => events.subscribe(listener),
      log,
      idlePollMs: automation?.idlePollMs,
    });
    scheduled.scheduler = scheduler;
    const scheduleCalls = createScheduleCalls({
      store: store.schedules,
      scheduler,
      now,
      newId,
      handlerItems: async (handlerId) => (await registry.get(handlerId).handler.items()).map((item) => item.id).concat(store.settings.committedItems(handlerId).map((item) => item.itemId)),
      watchPlan: (handlerId, itemId) => watchPlanOf(registry, handlerId, itemId),
    });
    // A deleted item leaves the schedules that named it (a schedule of it alone goes with it).
    const deleteItem: typeof core.deleteItem = async (request) => {
      const answer = await core.deleteItem(request);
      forgetScheduledItem(store.schedules, scheduler, request.handlerId, request.itemId);
      return answer;
    };
    const api = createControlApi({ ...core, ...scheduleCalls, deleteItem, info: { version: options.version, platform: process.platform }, events }, options.transport ?? 'inProcess');
    if (automation !== undefined) scheduler.start();
    return {
      api,
      scheduler,
      async close() {
        scheduler.stop();
        await sessions.close();
        // This host's idle session workers go with it instead of lingering until their idle timeout.
        const handlersDir = path.resolve(options.stateDir) + path.sep;
        await sessionWorkers.closeIdle((dataDir) => path.resolve(dataDir).startsWith(handlersDir));
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

