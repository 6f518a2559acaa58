import { describe, expect, it, vi } from 'vitest';
import type { SyncCenterBridge } from '../../app/control/contract.ts';
import type { SyncEvent } from '../../app/control/events.ts';
import { ApiError } from './ApiError.ts';
import { buildControlApi, createApi, type ApiEnvironment } from './api.ts';
import type { SocketLike } from './eventSocket.ts';

function environment(overrides: Partial<ApiEnvironment> = {}): ApiEnvironment {
  return {
    bridge: undefined,
    host: '127.0.0.1:5000',
    location: { hash: '', pathname: '/', search: '' },
    history: { state: null, replaceState: vi.fn() },
    storage: null,
    fetch: vi.fn(),
    createSocket: vi.fn(() => ({}) as SocketLike),
    setTimer: vi.fn(),
    clearTimer: vi.fn(),
    ...overrides,
  };
}

describe('buildControlApi', () => {
  it('turns any property into a call and unwraps the result', async () => {
    const send = vi.fn(async () => ({ ok: true, value: [] }));
    const api = buildControlApi(send, () => () => undefined);
    await expect(api.listHandlers({})).resolves.toEqual([]);
    expect(send).toHaveBeenCalledWith('listHandlers', {});
  });

  it('rejects a failed call with an ApiError carrying the code', async () => {
    const api = buildControlApi(async () => ({ ok: false, error: { code: 'BAD_REQUEST', message: 'nope' } }), () => () => undefined);
    const error: unknown = await api.getHostInfo({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'nope' });
  });

  it('rejects an answer that is not a WireResult', async () => {
    const api = buildControlApi(async () => ({ hello: 'world' }), () => () => undefined);
    await expect(api.getHostInfo({})).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('is not mistaken for a promise and cannot be modified', async () => {
    const api = buildControlApi(async () => ({ ok: true, value: 1 }), () => () => undefined);
    expect((api as unknown as { then?: unknown }).then).toBeUndefined();
    await expect(Promise.resolve(api)).resolves.toBe(api);
    expect(Reflect.set(api, 'listHandlers', () => 1)).toBe(false);
  });
});

describe('createApi over the preload bridge', () => {
  it('uses window.syncCenter when it exists', async () => {
    const listeners: ((event: SyncEvent) => void)[] = [];
    const bridge = {
      getHostInfo: async () => ({ ok: true as const, value: { version: '1', platform: 'linux', transport: 'ipc' as const } }),
      listHandlers: async () => ({ ok: true as const, value: [] }),
      subscribe: (listener: (event: SyncEvent) => void) => {
        listeners.push(listener);
        return () => undefined;
      },
    };
    // A partial bridge, as an older preload would expose: only the calls this test uses.
    const connection = createApi(environment({ bridge: bridge as unknown as SyncCenterBridge }));
    if (connection.kind !== 'ready') throw new Error('expected a ready API');
    expect(connection.transport).toBe('ipc');
    await expect(connection.api.getHostInfo({})).resolves.toMatchObject({ version: '1' });
    const received: SyncEvent[] = [];
    connection.api.subscribe((event) => received.push(event));
    listeners[0]?.({ type: 'handlersChanged' });
    expect(received).toEqual([{ type: 'handlersChanged' }]);
  });

  it('answers a call the bridge does not have with UNKNOWN_CALL', async () => {
    const bridge = { subscribe: () => () => undefined } as unknown as SyncCenterBridge;
    const connection = createApi(environment({ bridge }));
    if (connection.kind !== 'ready') throw new Error('expected a ready API');
    await expect(connection.api.listHandlers({})).rejects.toMatchObject({ code: 'UNKNOWN_CALL' });
  });
});

describe('createApi over the web host', () => {
  it('asks for the serve URL when there is no token', () => {
    expect(createApi(environment()).kind).toBe('noToken');
  });

  it('posts calls with the bearer token and reads the WireResult body', async () => {
    const fetch = vi.fn(async () => ({ status: 200, json: async () => ({ ok: true, value: [] }) }));
    const connection = createApi(environment({ fetch, location: { hash: '#token=secret', pathname: '/', search: '' } }));
    if (connection.kind !== 'ready') throw new Error('expected a ready API');
    expect(connection.transport).toBe('web');
    await expect(connection.api.listHandlers({})).resolves.toEqual([]);
    expect(fetch).toHaveBeenCalledWith('/api/call/listHandlers', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret' },
      body: '{}',
    });
  });

  it('keeps the host error code of a failed call', async () => {
    const fetch = vi.fn(async () => ({ status: 401, json: async () => ({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token' } }) }));
    const connection = createApi(environment({ fetch, location: { hash: '#token=old', pathname: '/', search: '' } }));
    if (connection.kind !== 'ready') throw new Error('expected a ready API');
    await expect(connection.api.listHandlers({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('reports an unreachable host and a body that is not JSON', async () => {
    const down = createApi(environment({ fetch: async () => Promise.reject(new TypeError('Failed to fetch')), location: { hash: '#token=t', pathname: '/', search: '' } }));
    const broken = createApi(environment({ fetch: async () => ({ status: 502, json: async () => Promise.reject(new SyntaxError('bad')) }), location: { hash: '#token=t', pathname: '/', search: '' } }));
    if (down.kind !== 'ready' || broken.kind !== 'ready') throw new Error('expected ready APIs');
    await expect(down.api.listHandlers({})).rejects.toMatchObject({ code: 'UNREACHABLE' });
    await expect(broken.api.listHandlers({})).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('opens the event socket with the token subprotocol on first subscribe', () => {
    const createSocket = vi.fn(() => ({ close: vi.fn() }) as unknown as SocketLike);
    const connection = createApi(environment({ createSocket, location: { hash: '#token=abc', pathname: '/', search: '' } }));
    if (connection.kind !== 'ready') throw new Error('expected a ready API');
    expect(createSocket).not.toHaveBeenCalled();
    connection.api.subscribe(() => undefined);
    expect(createSocket).toHaveBeenCalledWith('ws://127.0.0.1:5000/api/events', 'synccenter.abc');
  });
});
