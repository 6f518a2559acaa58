/**
 * Every control call, driven over the web host's HTTP transport against a real core with the scripted fixture
 * handler: the same path a browser window takes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { callNames, type CallName } from '../control/contract.ts';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';
import { startWebHost, type WebHost } from './webHost.ts';

let host: TestHost;
let web: WebHost;
const exercised = new Set<CallName>();

beforeAll(async () => {
  host = await startTestHost({
    items: [
      { id: 'alpha', name: 'Alpha', steps: 3 },
      { id: 'beta', name: 'Beta', steps: 3, conflicts: 1 },
      { id: 'slow', name: 'Slow', steps: 400, delayMs: 20 },
      { id: 'broken', name: 'Broken', steps: 3, outcome: 'throw' },
    ],
  });
  web = await startWebHost({ api: host.api, rendererDir: host.stateDir, port: 0 });
});

afterAll(async () => {
  await web.close();
  await host.dispose();
});

async function call<T = unknown>(name: CallName, request: unknown = {}): Promise<T> {
  exercised.add(name);
  const response = await fetch(`${web.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${web.token}`, Origin: web.origin },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name} failed with ${response.status}: ${body.error?.code} ${body.error?.message}`);
  return body.value as T;
}

interface Result {
  status: string;
  conflicts: number;
  items: { itemId: string; state: string }[];
}

describe('the control API over the web host', () => {
  it('answers the read calls', async () => {
    expect(await call<{ transport: string }>('getHostInfo')).toMatchObject({ version: '0.0.0-test' });
    const handlers = await call<{ id: string; items: { id: string }[] }[]>('listHandlers');
    expect(handlers.map((handler) => handler.id)).toEqual(['scripted']);
    expect(handlers[0]?.items.map((item) => item.id)).toEqual(['alpha', 'beta', 'slow', 'broken']);
    expect(await call('getItemDetails', { handlerId: 'scripted', itemId: 'alpha' })).toEqual({
      handlerId: 'scripted',
      itemId: 'alpha',
      browsable: false,
      locations: [],
      conflictPolicy: null,
      exclude: [],
      lastSession: null,
    });
  });

  it('syncs items, a handler and everything, each resolving with its result', async () => {
    const one = await call<Result>('startItemSync', { handlerId: 'scripted', itemIds: ['alpha'] });
    expect(one).toMatchObject({ status: 'succeeded', items: [{ itemId: 'alpha', state: 'succeeded' }] });
    await call('enableItem', { handlerId: 'scripted', itemId: 'slow', enabled: false });
    await call('enableItem', { handlerId: 'scripted', itemId: 'broken', enabled: false });
    const handler = await call<Result>('startHandlerSync', { handlerId: 'scripted' });
    expect(handler.conflicts).toBe(1);
    expect(handler.items.map((item) => item.itemId).sort()).toEqual(['alpha', 'beta']);
    const all = await call<Result>('startSyncAll', { ignoreIfAlreadySyncing: true });
    expect(all.items.map((item) => item.itemId).sort()).toEqual(['alpha', 'beta']);
  });

  it('stops an item, a handler and everything', async () => {
    await call('enableItem', { handlerId: 'scripted', itemId: 'slow', enabled: true });
    const stops: [CallName, unknown][] = [
      ['stopItemSync', { handlerId: 'scripted', itemIds: ['slow'] }],
      ['stopHandlerSync', { handlerId: 'scripted' }],
      ['stopSyncAll', {}],
    ];
    for (const [stop, request] of stops) {
      const running = call<Result>('startItemSync', { handlerId: 'scripted', itemIds: ['slow'] });
      await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'slow' && event.state === 'updating');
      await call(stop, request);
      expect((await running).items).toEqual([expect.objectContaining({ itemId: 'slow', state: 'canceled' })]);
      host.events.length = 0;
    }
  });

  it('enables, activates, adds and deletes', async () => {
    await call('enableHandler', { handlerId: 'scripted', enabled: false });
    await call('enableHandler', { handlerId: 'scripted', enabled: true });
    await call('activateHandler', { handlerId: 'scripted', active: false });
    expect((await call<Result>('startSyncAll')).items).toEqual([]);
    await call('activateHandler', { handlerId: 'scripted', active: true });
    const added = await call<{ id: string }>('addItem', { handlerId: 'scripted', args: ['gamma', 'steps=1'], name: 'Gamma' });
    expect(added.id).toBe('gamma');
    await call('deleteItem', { handlerId: 'scripted', itemId: 'gamma' });
    const handlers = await call<{ items: { id: string }[] }[]>('listHandlers');
    expect(handlers[0]?.items.map((item) => item.id)).not.toContain('gamma');
  });

  it('lists, resolves and removes conflicts and events', async () => {
    await call('startItemSync', { handlerId: 'scripted', itemIds: ['beta'] });
    const conflicts = await call<{ id: string; kind: string }[]>('listConflicts', { handlerId: 'scripted' });
    expect(conflicts.length).toBeGreaterThan(0);
    const resolved = await call<{ resolved: string[] }>('resolveConflict', { conflictId: conflicts[0]!.id, choice: 'keepLeft', applyToAllOfKind: true });
    expect(resolved.resolved).toContain(conflicts[0]!.id);
    await call('startItemSync', { handlerId: 'scripted', itemIds: ['beta'] });
    const again = await call<{ id: string }[]>('listConflicts', {});
    expect((await call<{ removed: number }>('removeConflicts', { ids: again.map((conflict) => conflict.id) })).removed).toBe(again.length);
    await call('enableItem', { handlerId: 'scripted', itemId: 'broken', enabled: true });
    expect(await call<Result>('startItemSync', { handlerId: 'scripted', itemIds: ['broken'] })).toMatchObject({ status: 'failed' });
    const events = await call<{ id: string; level: string }[]>('listEvents', { level: 'error', limit: 50 });
    expect(events.length).toBeGreaterThan(0);
    expect((await call<{ removed: number }>('removeEvents', {})).removed).toBeGreaterThan(0);
    expect(await call('listEvents', {})).toEqual([]);
  });

  it('takes a session reported by an external process', async () => {
    const opened = await call<{ sessionId: string; cancelRequest: string }>('reportSession', { handlerId: 'scripted', itemIds: ['alpha'] });
    expect(opened.cancelRequest).toBe('none');
    await call('reportSession', { handlerId: 'scripted', sessionId: opened.sessionId, finished: true });
  });

  it('creates, lists, enables and removes schedules, each with its next run', async () => {
    const before = Date.now();
    const saved = await call<{ id: string; name: string; nextRunTime: number }>('saveSchedule', { handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'interval', minutes: 15 } });
    expect(saved.name).toBe('Every 15 minutes');
    expect(saved.nextRunTime).toBeGreaterThanOrEqual(before + 15 * 60_000);
    expect((await call<{ id: string }[]>('listSchedules', { handlerId: 'scripted' })).map((schedule) => schedule.id)).toEqual([saved.id]);
    const [handler] = await call<{ nextScheduledTime: number | null; items: { id: string; nextScheduledTime: number | null }[] }[]>('listHandlers');
    expect(handler?.nextScheduledTime).toBe(saved.nextRunTime);
    expect(handler?.items.find((item) => item.id === 'alpha')?.nextScheduledTime).toBe(saved.nextRunTime);
    expect(handler?.items.find((item) => item.id === 'beta')?.nextScheduledTime).toBeNull();
    expect(await call<{ enabled: boolean; nextRunTime: null }>('enableSchedule', { id: saved.id, enabled: false })).toMatchObject({ enabled: false, nextRunTime: null });
    const bad = await fetch(`${web.origin}/api/call/saveSchedule`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${web.token}`, Origin: web.origin },
      body: JSON.stringify({ handlerId: 'scripted', trigger: { kind: 'timeOfDay', time: '25:00', weekdays: [] } }),
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain('trigger.time: use HH:MM between 00:00 and 23:59');
    expect(body.error.message).toContain('trigger.weekdays: choose at least one weekday');
    await call('removeSchedule', { id: saved.id });
    expect(await call('listSchedules', {})).toEqual([]);
  });

  it('streams the events of a sync to a window as ordered batches', async () => {
    const socket = new WebSocket(`${web.origin.replace('http', 'ws')}/api/events`, `synccenter.${web.token}`, { origin: web.origin });
    const batches: unknown[] = [];
    socket.on('message', (data) => batches.push(JSON.parse(String(data))));
    await new Promise((resolve) => socket.on('open', resolve));
    await call('startItemSync', { handlerId: 'scripted', itemIds: ['alpha'] });
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.close();
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every(Array.isArray)).toBe(true);
    const types = (batches as { type: string }[][]).flat().map((event) => event.type);
    expect(types.indexOf('sessionStarted')).toBeLessThan(types.lastIndexOf('itemProgressed'));
    expect(types).toContain('requestFinished');
    expect(types.indexOf('sessionStarted')).toBeLessThan(types.indexOf('sessionFinished'));
  });

  it('takes the window\'s language: the host\'s own errors follow it', async () => {
    const unknownItem = () => call('getItemDetails', { handlerId: 'scripted', itemId: 'ghost' });
    try {
      expect(await call('setHostLanguage', { language: 'fr' })).toEqual({});
      await expect(unknownItem()).rejects.toThrow('NOT_FOUND Le gestionnaire « scripted » n’a pas d’élément « ghost »');
      await call('setHostLanguage', { language: 'en' });
      await expect(unknownItem()).rejects.toThrow('NOT_FOUND Handler "scripted" has no item "ghost"');
    } finally {
      process.env.SYNCCENTER_LANG = 'en'; // what vitest.config.ts sets for every test
    }
  });

  it('exercised every call of the contract', () => {
    expect([...exercised].sort()).toEqual([...callNames].sort());
  });
});
