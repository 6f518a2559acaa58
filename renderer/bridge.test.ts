import { describe, expect, it, vi } from 'vitest';
import type { ControlApi } from '../app/control/contract.ts';
import type { SyncEvent } from '../app/control/events.ts';
import type { HandlerSummary } from '../app/control/schemas.ts';
import { ApiError } from './api/ApiError.ts';
import type { ConnectionMonitor } from './api/api.ts';
import { announcementFor, coalesced, startBridge } from './bridge.ts';
import { createAppStore } from './store/store.ts';
import { makeHandler } from './test/fixtures.ts';

function fakeApi(handlers: () => HandlerSummary[] | Promise<HandlerSummary[]>) {
  const listeners: ((event: SyncEvent) => void)[] = [];
  const calls = {
    listHandlers: vi.fn(async () => handlers()),
    getHostInfo: vi.fn(async () => ({ version: '1.2.3', platform: 'linux', transport: 'web' as const })),
    listEvents: vi.fn(async () => []),
    listConflicts: vi.fn(async () => []),
    subscribe: (listener: (event: SyncEvent) => void) => {
      listeners.push(listener);
      return () => undefined;
    },
  };
  const emit = (event: unknown) => listeners.forEach((listener) => listener(event as SyncEvent));
  return { api: calls as unknown as ControlApi, calls, emit };
}

function monitor(): ConnectionMonitor & { resync: () => void } {
  let resync: () => void = () => undefined;
  return {
    status: 'connected',
    onStatus: () => () => undefined,
    onResync: (listener) => {
      resync = listener;
      return () => undefined;
    },
    resync: () => resync(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('startBridge', () => {
  it('loads handlers and host info, then applies progress events', async () => {
    const store = createAppStore(null);
    const { api, emit } = fakeApi(() => [makeHandler()]);
    startBridge({ api, connection: monitor(), store });
    await settle();
    expect(store.getState()).toMatchObject({ handlersStatus: 'ready', hostInfo: { version: '1.2.3' }, connection: 'connected' });
    emit({ type: 'itemProgressed', handlerId: 'folders', itemId: 'item-1', state: 'updating', progress: { current: 1, max: 4, text: 'a.txt' } });
    emit({ type: 'handlerProgressed', handlerId: 'folders', state: 'updating', progress: null });
    expect(store.getState().handlers[0]?.items[0]).toMatchObject({ state: 'updating', progress: { current: 1 } });
    expect(store.getState().announcement).toMatchObject({ key: 'announce.syncStarted', values: { name: 'Folders' } });
  });

  it('reads schedules, and on schedulesChanged re-reads them and the handlers (their next scheduled syncs)', async () => {
    const store = createAppStore(null);
    const { api, calls, emit } = fakeApi(() => [makeHandler()]);
    const schedule = { id: 's1', name: 'Every 15 minutes', enabled: true, handlerId: 'folders', itemIds: null, trigger: { kind: 'interval', minutes: 15 }, conditions: { acPowerOnly: false, minIntervalMinutes: null }, lastRunTime: null, nextRunTime: 1 };
    const listSchedules = vi.fn(async () => [schedule]);
    Object.assign(calls, { listSchedules });
    startBridge({ api, connection: monitor(), store });
    await settle();
    expect(store.getState().schedules).toEqual([schedule]);
    const reads = calls.listHandlers.mock.calls.length;
    emit({ type: 'schedulesChanged' });
    await settle();
    expect(listSchedules).toHaveBeenCalledTimes(2);
    expect(calls.listHandlers.mock.calls.length).toBe(reads + 1);
  });

  it('re-reads the list on handlersChanged and after a reconnect, and ignores unknown events', async () => {
    const store = createAppStore(null);
    const connection = monitor();
    const { api, calls, emit } = fakeApi(() => [makeHandler()]);
    startBridge({ api, connection, store });
    await settle();
    emit({ type: 'somethingFromTheFuture', payload: 1 });
    emit({ type: 'handlersChanged' });
    await settle();
    connection.resync();
    await settle();
    expect(calls.listHandlers).toHaveBeenCalledTimes(3);
  });

  it('re-reads the list when a session finishes, for last sync times and counts', async () => {
    const store = createAppStore(null);
    const { api, calls, emit } = fakeApi(() => [makeHandler()]);
    startBridge({ api, connection: monitor(), store });
    await settle();
    emit({ type: 'sessionFinished', sessionId: 's', handlerId: 'folders', manual: false, result: { status: 'succeeded', errors: 0, conflicts: 0, items: [] } });
    await settle();
    expect(calls.listHandlers).toHaveBeenCalledTimes(2);
  });

  it('keeps the last result of each item and handler from finished events', async () => {
    const store = createAppStore(null);
    const { api, emit } = fakeApi(() => [makeHandler()]);
    startBridge({ api, connection: monitor(), store, now: () => 42 });
    await settle();
    emit({ type: 'itemFinished', sessionId: 's', handlerId: 'folders', itemId: 'item-1', state: 'failed' });
    const result = { status: 'failed', errors: 1, conflicts: 0, items: [{ handlerId: 'folders', itemId: 'item-1', state: 'failed', errors: 1, conflicts: 0 }] };
    emit({ type: 'sessionFinished', sessionId: 's', handlerId: 'folders', manual: false, result });
    expect(store.getState().lastResults.get('folders/item-1')).toMatchObject({ state: 'failed', errors: 1, finishedTime: 42 });
    expect(store.getState().lastResults.get('folders')).toMatchObject({ state: 'failed', errors: 1 });
  });

  it('keeps results and conflicts in step with their events', async () => {
    const store = createAppStore(null);
    const { api, emit } = fakeApi(() => []);
    startBridge({ api, connection: monitor(), store });
    await settle();
    const event = { id: 'e1', handlerId: 'folders', itemId: null, level: 'error', name: 'Missing folder', description: 'Gone', link: null, context: null, time: 5 };
    emit({ type: 'eventReported', event });
    expect(store.getState().results).toEqual([event]);
    emit({ type: 'eventsRemoved', ids: ['e1'] });
    expect(store.getState().results).toEqual([]);
    const conflict = { id: 'c1', handlerId: 'folders', itemId: 'item-1', kind: 'bothChanged', name: 'a.txt', description: '', versions: [], detectedTime: 1 };
    emit({ type: 'conflictDetected', conflict });
    expect(store.getState().conflicts).toEqual([conflict]);
    emit({ type: 'conflictsResolved', ids: ['c1'] });
    expect(store.getState().conflicts).toEqual([]);
  });

  it('shows the failure of the first load, and the gate when the token is refused', async () => {
    const failing = createAppStore(null);
    startBridge({ api: fakeApi(() => Promise.reject(new Error('boom'))).api, connection: monitor(), store: failing });
    await settle();
    expect(failing.getState()).toMatchObject({ handlersStatus: 'failed', handlersError: 'boom' });

    const refused = createAppStore(null);
    const onUnauthorized = vi.fn();
    startBridge({ api: fakeApi(() => Promise.reject(new ApiError('UNAUTHORIZED', 'no'))).api, connection: monitor(), store: refused, onUnauthorized });
    await settle();
    expect(refused.getState().connection).toBe('unauthorized');
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});

describe('announcementFor', () => {
  it('announces starts and outcomes, not progress within a phase', () => {
    expect(announcementFor('idle', 'queued')).toBe('announce.syncStarted');
    expect(announcementFor('queued', 'updating')).toBeNull();
    expect(announcementFor('updating', 'succeeded')).toBe('announce.syncSucceeded');
    expect(announcementFor('updating', 'conflict')).toBe('announce.syncConflicts');
    expect(announcementFor('succeeded', 'succeeded')).toBeNull();
    expect(announcementFor('updating', 'idle')).toBeNull();
  });
});

describe('coalesced', () => {
  it('folds calls made while running into one more run', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const task = coalesced(() => {
      runs += 1;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const first = task();
    const second = task();
    const third = task();
    expect(runs).toBe(1);
    release();
    await first;
    await settle();
    expect(runs).toBe(2);
    release();
    await Promise.all([second, third]);
    expect(runs).toBe(2);
  });
});
