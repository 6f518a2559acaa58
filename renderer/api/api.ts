import type { ControlApi, SyncCenterBridge, Unsubscribe } from '../../app/control/contract.ts';
import type { SyncEvent } from '../../app/control/events.ts';
import type { WireResult } from '../../app/control/result.ts';
import { ApiError, clientErrorCodes } from './ApiError.ts';
import { createEventSocket, type ConnectionStatus, type SocketLike } from './eventSocket.ts';
import { takeToken, type TokenEnvironment } from './token.ts';
import { webProtocol } from './webProtocol.ts';
import { unwrapWireResult } from './wireResult.ts';

/** Sends one call over some transport and returns its raw answer. */
export type SendCall = (name: string, request: unknown) => Promise<unknown>;

/** Live status of the event stream, for the "reconnecting" banner. */
export interface ConnectionMonitor {
  readonly status: ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): Unsubscribe;
  /** Registers what to do when events may have been missed (after a reconnect). */
  onResync(listener: () => void): Unsubscribe;
}

/** The outcome of looking for a host: a ready API, or no way to reach one. */
export type ApiConnection =
  | { readonly kind: 'ready'; readonly transport: 'ipc' | 'web'; readonly api: ControlApi; readonly connection: ConnectionMonitor }
  | { readonly kind: 'noToken' };

/** What `createApi` reads from `window`, injected so the transports can be tested in Node. */
export interface ApiEnvironment extends TokenEnvironment {
  readonly bridge: SyncCenterBridge | undefined;
  readonly host: string;
  readonly fetch: (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<{ status: number; json(): Promise<unknown> }>;
  readonly createSocket: (url: string, protocol: string) => SocketLike;
  readonly setTimer: (callback: () => void, delayMs: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
}

/**
 * Finds the host: the preload's `window.syncCenter` in Electron, else the loopback web host with the token from
 * the URL fragment. Both give the same `ControlApi`; a failed call rejects with an `ApiError`.
 */
export function createApi(env: ApiEnvironment): ApiConnection {
  if (env.bridge !== undefined) {
    const bridge = env.bridge;
    return { kind: 'ready', transport: 'ipc', api: buildControlApi(ipcSender(bridge), (listener) => bridge.subscribe(listener)), connection: alwaysConnected };
  }
  const token = takeToken(env);
  if (token === null) return { kind: 'noToken' };
  const resyncListeners = new Set<() => void>();
  const events = createEventSocket({
    host: env.host,
    token,
    createSocket: env.createSocket,
    setTimer: env.setTimer,
    clearTimer: env.clearTimer,
    onResync: () => {
      for (const listener of [...resyncListeners]) listener();
    },
  });
  const connection: ConnectionMonitor = {
    get status() {
      return events.status;
    },
    onStatus: (listener) => events.onStatus(listener),
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
  };
  return { kind: 'ready', transport: 'web', api: buildControlApi(webSender(env, token), (listener) => events.subscribe(listener)), connection };
}

/** Reads the real browser environment; kept apart so everything above it stays testable. */
export function browserEnvironment(): ApiEnvironment {
  const bridge = (window as Window & { syncCenter?: SyncCenterBridge }).syncCenter;
  return {
    bridge,
    host: window.location.host,
    location: window.location,
    history: window.history,
    storage: sessionStorageOrNull(),
    fetch: (url, init) => window.fetch(url, { ...init, credentials: 'omit', cache: 'no-store' }),
    createSocket: (url, protocol) => new WebSocket(url, protocol),
    setTimer: (callback, delayMs) => window.setTimeout(callback, delayMs),
    clearTimer: (handle) => window.clearTimeout(handle as number),
  };
}

/**
 * The ControlApi as a Proxy over call names: the renderer has no runtime list of calls (that lives with zod in
 * the contract), so any property except `subscribe` becomes a call. `then` is excluded so the API is never
 * mistaken for a promise when returned from an async function.
 */
export function buildControlApi(send: SendCall, subscribe: (listener: (event: SyncEvent) => void) => Unsubscribe): ControlApi {
  const cache = new Map<string, (request?: unknown) => Promise<unknown>>();
  const callFor = (name: string): ((request?: unknown) => Promise<unknown>) => {
    let call = cache.get(name);
    if (call === undefined) {
      call = async (request?: unknown) => unwrapWireResult(await send(name, request ?? {}), name);
      cache.set(name, call);
    }
    return call;
  };
  const handler: ProxyHandler<object> = {
    get(_target, property) {
      if (property === 'subscribe') return subscribe;
      if (typeof property !== 'string' || property === 'then' || property === 'toJSON') return undefined;
      return callFor(property);
    },
    set: () => false,
    deleteProperty: () => false,
  };
  return new Proxy({}, handler) as ControlApi;
}

const alwaysConnected: ConnectionMonitor = {
  status: 'connected',
  onStatus: () => () => undefined,
  onResync: () => () => undefined,
};

function ipcSender(bridge: SyncCenterBridge): SendCall {
  return async (name, request) => {
    const call = Object.hasOwn(bridge, name) && name !== 'subscribe' ? (bridge as unknown as Record<string, unknown>)[name] : undefined;
    if (typeof call !== 'function') return unknownCall(name);
    return (call as (request: unknown) => Promise<unknown>)(request);
  };
}

function webSender(env: ApiEnvironment, token: string): SendCall {
  return async (name, request) => {
    let response: { status: number; json(): Promise<unknown> };
    try {
      response = await env.fetch(webProtocol.callPath(name), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      });
    } catch (error) {
      throw new ApiError(clientErrorCodes.unreachable, error instanceof Error ? error.message : String(error));
    }
    try {
      return await response.json();
    } catch {
      throw new ApiError(clientErrorCodes.badResponse, `The host answered ${name} with status ${response.status} and no result.`);
    }
  };
}

function unknownCall(name: string): WireResult<never> {
  return { ok: false, error: { code: clientErrorCodes.unknownCall, message: `This host does not offer "${name}".` } };
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
