import { describe, expect, it, vi } from 'vitest';
import type { SyncEvent } from '../../app/control/events.ts';
import { createEventSocket, parseEvents, reconnectDelay, type SocketLike } from './eventSocket.ts';

interface FakeSocket extends SocketLike {
  url: string;
  protocol: string;
  closed: boolean;
}

function harness() {
  const sockets: FakeSocket[] = [];
  const timers: { callback: () => void; delay: number }[] = [];
  const onResync = vi.fn();
  const events = createEventSocket({
    host: 'localhost:9',
    token: 'tok',
    createSocket: (url, protocol) => {
      const socket = { url, protocol, closed: false, onopen: null, onmessage: null, onclose: null, onerror: null, close: () => void (socket.closed = true) } as FakeSocket;
      sockets.push(socket);
      return socket;
    },
    setTimer: (callback, delay) => timers.push({ callback, delay }),
    clearTimer: vi.fn(),
    onResync,
  });
  const open = (socket: FakeSocket | undefined) => socket?.onopen?.call(socket as unknown as WebSocket, new Event('open'));
  const close = (socket: FakeSocket | undefined) => socket?.onclose?.call(socket as unknown as WebSocket, new Event('close') as CloseEvent);
  const message = (socket: FakeSocket | undefined, data: unknown) => socket?.onmessage?.call(socket as unknown as WebSocket, { data } as MessageEvent);
  return { events, sockets, timers, onResync, open, close, message };
}

describe('createEventSocket', () => {
  it('delivers parsed events to every listener', () => {
    const { events, sockets, open, message } = harness();
    const a: SyncEvent[] = [];
    const b: SyncEvent[] = [];
    events.subscribe((event) => a.push(event));
    events.subscribe((event) => b.push(event));
    expect(sockets).toHaveLength(1);
    open(sockets[0]);
    expect(events.status).toBe('connected');
    message(sockets[0], JSON.stringify({ type: 'handlersChanged' }));
    message(sockets[0], 'not json');
    message(sockets[0], JSON.stringify({ noType: true }));
    expect(a).toEqual([{ type: 'handlersChanged' }]);
    expect(b).toEqual(a);
  });

  it('reconnects with growing delays and asks for a resync once back', () => {
    const { events, sockets, timers, onResync, open, close } = harness();
    const statuses: string[] = [];
    events.onStatus((status) => statuses.push(status));
    events.subscribe(() => undefined);
    open(sockets[0]);
    close(sockets[0]);
    expect(events.status).toBe('reconnecting');
    expect(timers[0]?.delay).toBe(500);
    timers[0]?.callback();
    close(sockets[1]);
    expect(timers[1]?.delay).toBe(1000);
    timers[1]?.callback();
    open(sockets[2]);
    expect(onResync).toHaveBeenCalledTimes(1);
    expect(statuses).toEqual(['connected', 'reconnecting', 'connected']);
  });

  it('does not resync on the first connection', () => {
    const { events, sockets, onResync, open } = harness();
    events.subscribe(() => undefined);
    open(sockets[0]);
    expect(onResync).not.toHaveBeenCalled();
  });

  it('closes the socket when the last listener leaves and does not reconnect', () => {
    const { events, sockets, timers, close } = harness();
    const unsubscribe = events.subscribe(() => undefined);
    unsubscribe();
    expect(sockets[0]?.closed).toBe(true);
    close(sockets[0]);
    expect(timers).toHaveLength(0);
  });
});

describe('reconnectDelay', () => {
  it('grows and is capped', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(reconnectDelay)).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
  });
});

describe('parseEvents', () => {
  it('reads a batch in order and keeps only objects with a string type', () => {
    expect(parseEvents('[{"type":"a"},1,null,{"type":"b","x":1},{"kind":"c"}]')).toEqual([{ type: 'a' }, { type: 'b', x: 1 }]);
  });

  it('also reads a single event, and nothing from junk', () => {
    expect(parseEvents('{"type":"somethingNew","x":1}')).toEqual([{ type: 'somethingNew', x: 1 }]);
    expect(parseEvents('[1]')).toEqual([]);
    expect(parseEvents('null')).toEqual([]);
    expect(parseEvents('{nope')).toEqual([]);
    expect(parseEvents(42)).toEqual([]);
  });
});
