import type { SyncEvent } from '../../app/control/events.ts';
import type { Unsubscribe } from '../../app/control/contract.ts';
import { webProtocol } from './webProtocol.ts';

/** Whether the live event stream is flowing. `ipc` windows are always `connected`. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

/** The minimal WebSocket surface we use, so tests can pass a fake. */
export type SocketLike = Pick<WebSocket, 'onopen' | 'onmessage' | 'onclose' | 'onerror' | 'close'>;

/** What the event socket needs from its surroundings. */
export interface EventSocketOptions {
  readonly host: string;
  readonly token: string;
  readonly createSocket: (url: string, protocol: string) => SocketLike;
  readonly setTimer: (callback: () => void, delayMs: number) => unknown;
  readonly clearTimer: (handle: unknown) => void;
  /** Called after a reconnect: events may have been missed, so state must be re-read. */
  readonly onResync: () => void;
}

/** Reconnect delays grow from 0.5 s to at most 15 s, so a stopped host is not hammered. */
export function reconnectDelay(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** Math.min(attempt, 5));
}

/** The shared event stream of a web window: one socket for all listeners, opened on first subscribe. */
export interface EventSocket {
  subscribe(listener: (event: SyncEvent) => void): Unsubscribe;
  onStatus(listener: (status: ConnectionStatus) => void): Unsubscribe;
  readonly status: ConnectionStatus;
}

/**
 * Opens the WebSocket to the web host's event stream and keeps it open: on close it reconnects with backoff and,
 * once back, asks for a resync because any events sent meanwhile are lost. Messages that are not JSON objects
 * with a string `type` are dropped; unknown types are passed on for the bridge to ignore.
 */
export function createEventSocket(options: EventSocketOptions): EventSocket {
  const listeners = new Set<(event: SyncEvent) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let socket: SocketLike | null = null;
  let timer: unknown = null;
  let attempt = 0;
  let everOpened = false;
  let status: ConnectionStatus = 'connecting';

  const setStatus = (next: ConnectionStatus): void => {
    if (next === status) return;
    status = next;
    for (const listener of statusListeners) listener(next);
  };

  const open = (): void => {
    const url = `ws://${options.host}${webProtocol.eventsPath}`;
    const current = options.createSocket(url, `${webProtocol.tokenSubprotocolPrefix}${options.token}`);
    socket = current;
    current.onopen = () => {
      attempt = 0;
      setStatus('connected');
      if (everOpened) options.onResync();
      everOpened = true;
    };
    current.onmessage = (message: MessageEvent) => dispatch(message.data);
    current.onerror = () => undefined;
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (listeners.size === 0) return;
      setStatus('reconnecting');
      timer = options.setTimer(() => {
        timer = null;
        open();
      }, reconnectDelay(attempt++));
    };
  };

  const dispatch = (data: unknown): void => {
    // One message carries a batch; applying it within this task lets React render the whole batch once.
    for (const event of parseEvents(data)) {
      for (const listener of [...listeners]) listener(event);
    }
  };

  const shutdown = (): void => {
    if (timer !== null) options.clearTimer(timer);
    timer = null;
    const current = socket;
    socket = null;
    current?.close();
    everOpened = false;
    setStatus('connecting');
  };

  return {
    get status() {
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (socket === null && timer === null) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) shutdown();
      };
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
  };
}

/**
 * Parses one message: a JSON array of events (the host batches them), or a single event. Entries that are not
 * objects with a string `type` are not events and are dropped.
 */
export function parseEvents(data: unknown): SyncEvent[] {
  if (typeof data !== 'string') return [];
  try {
    const value: unknown = JSON.parse(data);
    return (Array.isArray(value) ? value : [value]).filter(isEvent);
  } catch {
    return [];
  }
}

function isEvent(value: unknown): value is SyncEvent {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
