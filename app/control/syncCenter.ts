/**
 * The core's composition: stores, handler runtime, session manager and the control-API facade, built from
 * injected environment (paths, clock, logger, ids) so it runs the same under Electron, the CLI, the web host
 * and tests. Every transport receives `api` and nothing else.
 */
import { randomUUID } from 'node:crypto';
import { createHandlerRegistry, type HandlerRegistration } from '../runtime/handlerRegistry.ts';
import { createExternalDriver, startWorkerSession } from '../runtime/workerSessionDriver.ts';
import { createHostCore } from '../sessions/hostCore.ts';
import type { Timers } from '../sessions/progressCoalescer.ts';
import { SessionManager } from '../sessions/sessionManager.ts';
import { toConflictDto as toDto } from '../store/state/conflictStore.ts';
import { openStateStore } from '../store/state/stateStore.ts';
import { createControlApi } from './controlApi.ts';
import type { ControlApi } from './contract.ts';
import { createEventBus } from './eventBus.ts';
import type { HostInfo } from './schemas.ts';

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
  /** Timer port for progress coalescing and the stop grace period. */
  readonly timers?: Timers;
}

/** A running core. */
export interface SyncCenter {
  readonly api: ControlApi;
  close(): Promise<void>;
}

/** Builds and starts the core. Rejects with a clear error if the state database is foreign or corrupt. */
export async function createSyncCenter(options: SyncCenterOptions): Promise<SyncCenter> {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  const newId = options.newId ?? (() => randomUUID());
  const events = createEventBus((error) => log('error', `event listener failed: ${String(error)}`));
  const store = openStateStore(options.stateDir, { now, newId, eventRetention: options.eventRetention ?? 5000 });
  try {
    const registry = await createHandlerRegistry(options.handlers ?? [], options.stateDir, now);
    const sessions = new SessionManager({
      publish: (event) => events.publish(event),
      recorder: {
        addEvent(handlerId, report) {
          const { event, pruned } = store.events.add({ handlerId, ...report, itemId: report.itemId ?? null });
          if (pruned.length > 0) events.publish({ type: 'eventsRemoved', ids: pruned });
          return event;
        },
        addConflict: (handlerId, report) => toDto(store.conflicts.add(handlerId, report)),
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
      timers: options.timers,
      stopGraceMs: options.stopGraceMs,
    });
    const core = createHostCore({ registry, sessions, store, events, log });
    const api = createControlApi({ ...core, info: { version: options.version, platform: process.platform }, events }, options.transport ?? 'inProcess');
    return {
      api,
      async close() {
        await sessions.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

