import { describe, expect, it } from 'vitest';
import { callNames, ipcChannel } from '../app/control/contract.ts';
import type { SyncEvent } from '../app/control/events.ts';
import { FakeIpc } from '../main/testing/electronFakes.ts';
import { buildBridge } from './bridge.ts';

describe('preload bridge', () => {
  it('exposes one frozen function per call plus subscribe, and nothing else', () => {
    const bridge = buildBridge(new FakeIpc().rendererFor('app://sync-center/'));
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual([...callNames, 'openLocation', 'pickFolder', 'subscribe'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipcRenderer|invoke|send/);
  });

  it('sends calls on the one call channel with the name and request', async () => {
    const ipc = new FakeIpc();
    const seen: unknown[] = [];
    ipc.handle(ipcChannel.call, async (_event, ...args) => {
      seen.push(args);
      return { ok: true, value: [] };
    });
    const bridge = buildBridge(ipc.rendererFor('app://sync-center/'));
    await expect(bridge.listHandlers({})).resolves.toEqual({ ok: true, value: [] });
    expect(seen).toEqual([['listHandlers', {}]]);
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const ipc = new FakeIpc();
    const bridge = buildBridge(ipc.rendererFor('app://sync-center/'));
    const received: unknown[][] = [];
    const unsubscribe = bridge.subscribe((...args: unknown[]) => received.push(args));
    const event: SyncEvent = { type: 'handlersChanged' };
    ipc.send(ipcChannel.event, event);
    unsubscribe();
    ipc.send(ipcChannel.event, event);
    expect(received).toEqual([[event]]);
  });

  it('asks main for a folder and passes on only a string or null', async () => {
    const ipc = new FakeIpc();
    const answers: unknown[] = ['/home/ana/Documents', undefined, { path: '/etc' }];
    ipc.handle(ipcChannel.pickFolder, async () => answers.shift());
    const bridge = buildBridge(ipc.rendererFor('app://sync-center/'));
    await expect(bridge.pickFolder?.()).resolves.toBe('/home/ana/Documents');
    await expect(bridge.pickFolder?.()).resolves.toBeNull();
    await expect(bridge.pickFolder?.()).resolves.toBeNull();
  });

  it('asks main to open a location, passing the item and the path through unchanged', async () => {
    const ipc = new FakeIpc();
    const asked: unknown[][] = [];
    ipc.handle(ipcChannel.openLocation, async (_event, ...args) => (asked.push(args), { ok: true, value: null }));
    const bridge = buildBridge(ipc.rendererFor('app://sync-center/'));
    await expect(bridge.openLocation?.('folders', 'folders-1', '/home/ana/Documents')).resolves.toEqual({ ok: true, value: null });
    expect(asked).toEqual([['folders', 'folders-1', '/home/ana/Documents']]);
  });

  it('unpacks a batch into single events, in order', () => {
    const ipc = new FakeIpc();
    const bridge = buildBridge(ipc.rendererFor('app://sync-center/'));
    const received: SyncEvent[] = [];
    bridge.subscribe((event) => received.push(event));
    const batch: SyncEvent[] = [{ type: 'handlersChanged' }, { type: 'itemProgressed', handlerId: 'h', itemId: 'i', state: 'updating', progress: null }];
    ipc.send(ipcChannel.event, batch);
    expect(received).toEqual(batch);
  });

  it('refuses a non-function listener', () => {
    const bridge = buildBridge(new FakeIpc().rendererFor('app://sync-center/'));
    expect(() => bridge.subscribe('nope' as unknown as (event: SyncEvent) => void)).toThrow(/listener function/);
  });
});
