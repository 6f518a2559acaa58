import type { ControlApi, Unsubscribe } from '../app/control/contract.ts';
import type { SyncEvent } from '../app/control/events.ts';
import type { SyncState } from '../app/control/schemas.ts';
import { isUnauthorized } from './api/ApiError.ts';
import type { ConnectionMonitor } from './api/api.ts';
import type { AppStore } from './store/store.ts';

/** What the bridge connects: the API, its connection status and the store it writes to. */
export interface BridgeOptions {
  readonly api: ControlApi;
  readonly connection: ConnectionMonitor;
  readonly store: AppStore;
  /** Called once when the host refuses the window's credentials. */
  readonly onUnauthorized?: () => void;
  /** The clock that stamps last results (events carry no time); `Date.now` unless a test fixes it. */
  readonly now?: () => number;
}

/** A running bridge; `refresh` re-reads everything (the retry button), `stop` unsubscribes. */
export interface Bridge {
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * The one module that feeds the store from the host: it subscribes to events first (so nothing is missed between
 * the first read and the subscription), then reads the initial state, and re-reads it whenever the host says the
 * list changed or the event stream reconnected. Everything goes through store actions.
 */
export function startBridge(options: BridgeOptions): Bridge {
  const { api, connection, store } = options;
  const actions = store.getState();
  const reloadSchedules = coalesced(async () => {
    try {
      actions.setSchedules(await api.listSchedules({}));
    } catch {
      // A host without schedules (older) leaves the list empty; the window works without it.
    }
  });
  const reloadHandlers = coalesced(async () => {
    try {
      actions.setHandlers(await api.listHandlers({}));
    } catch (error) {
      fail(error);
    }
  });
  const fail = (error: unknown): void => {
    if (isUnauthorized(error)) {
      actions.setConnection('unauthorized');
      options.onUnauthorized?.();
      return;
    }
    actions.setHandlersFailed(error instanceof Error ? error.message : String(error));
  };
  const loadResultsAndConflicts = async (): Promise<void> => {
    // Results, conflicts and schedules are secondary: if the host cannot list them, the partnerships still work.
    const [events, conflicts] = await Promise.allSettled([api.listEvents({ limit: 1000 }), api.listConflicts({}), reloadSchedules()]);
    if (events.status === 'fulfilled') actions.setResults(events.value);
    if (conflicts.status === 'fulfilled') actions.setConflicts(conflicts.value);
  };
  const refresh = async (): Promise<void> => {
    await Promise.all([reloadHandlers(), loadHostInfo(), loadResultsAndConflicts()]);
  };
  const loadHostInfo = async (): Promise<void> => {
    try {
      actions.setHostInfo(await api.getHostInfo({}));
    } catch {
      // Host info only feeds the About line; the window works without it.
    }
  };

  const subscriptions: Unsubscribe[] = [
    connection.onStatus((status) => {
      if (store.getState().connection !== 'unauthorized') actions.setConnection(status);
    }),
    connection.onResync(() => void refresh()),
    api.subscribe((event) => {
      // Schedules changed or ran: their next runs moved, and so did the partnerships' next scheduled syncs.
      if (event.type === 'schedulesChanged') void Promise.all([reloadSchedules(), reloadHandlers()]);
      else applyEvent(store, event, reloadHandlers, options.now);
    }),
  ];
  actions.setConnection(connection.status);
  void refresh();
  return {
    refresh,
    stop: () => {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    },
  };
}

/** Writes one event into the store. Unknown event types (from a newer host) are ignored. */
export function applyEvent(store: AppStore, event: SyncEvent, reloadHandlers: () => Promise<void>, now: () => number = Date.now): void {
  const state = store.getState();
  switch (event.type) {
    case 'handlersChanged':
      void reloadHandlers();
      return;
    case 'itemProgressed':
      state.applyItemProgress(event.handlerId, event.itemId, event.state, event.progress);
      return;
    case 'handlerProgressed': {
      const before = state.handlers.find((handler) => handler.id === event.handlerId);
      state.applyHandlerProgress(event.handlerId, event.state, event.progress);
      const key = before === undefined ? null : announcementFor(before.state, event.state);
      if (before !== undefined && key !== null) state.announce(key, { name: before.name });
      return;
    }
    case 'eventReported':
      state.addResults([event.event]);
      return;
    case 'eventsRemoved':
      state.removeResults(event.ids);
      return;
    case 'conflictDetected':
      state.upsertConflict(event.conflict);
      return;
    case 'conflictsResolved':
      state.removeConflicts(event.ids);
      return;
    case 'itemFinished':
      state.recordItemFinished(event.handlerId, event.itemId, event.sessionId, event.state, now());
      return;
    case 'sessionFinished':
      state.recordSessionFinished(event.handlerId, event.sessionId, event.result, event.manual, now());
      // The finished session changed what progress events do not carry: last sync times and error counts.
      void reloadHandlers();
      return;
    default:
      // Other session-level events reach the store through the handler and item events they cause; types from a
      // newer host are ignored.
      return;
  }
}

const activeStates: ReadonlySet<SyncState> = new Set(['queued', 'updating', 'updatingIndeterminate']);

/**
 * The live-region message for a handler's state change, or null when the change is not worth interrupting a
 * screen-reader user for (progress ticks, or staying in the same phase).
 */
export function announcementFor(before: SyncState, after: SyncState): string | null {
  if (before === after) return null;
  if (activeStates.has(after)) return activeStates.has(before) ? null : 'announce.syncStarted';
  const keys: Partial<Record<SyncState, string>> = {
    succeeded: 'announce.syncSucceeded',
    failed: 'announce.syncFailed',
    canceled: 'announce.syncCanceled',
    conflict: 'announce.syncConflicts',
    disconnected: 'announce.disconnected',
  };
  return keys[after] ?? null;
}

/**
 * Runs `task` at most once at a time; calls that arrive while it runs fold into one more run afterwards, so a
 * burst of `handlersChanged` events costs two reads, not one per event, and the last read sees the final state.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  const run = (): Promise<void> => {
    if (running === null) {
      running = task().finally(() => {
        running = null;
      });
      return running;
    }
    again ??= running.then(() => {
      again = null;
      return run();
    });
    return again;
  };
  return run;
}
