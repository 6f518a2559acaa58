/**
 * Client of the control endpoint: a `ControlApi` over the socket of a running desktop app or `serve` instance.
 */
import { connect, type Socket } from 'node:net';
import { existsSync } from 'node:fs';
import type { ControlApi } from '../control/contract.ts';
import type { SyncEvent } from '../control/events.ts';
import { createRemoteApi } from '../control/remoteApi.ts';
import type { WireResult } from '../control/result.ts';
import { endpointPath, maxLineBytes } from './controlEndpoint.ts';
import { readLines } from './endpointLines.ts';
import { hostText } from '../runtime/hostText.ts';

/** A connection to a running host. */
export interface EndpointConnection {
  readonly api: ControlApi;
  close(): void;
}

/**
 * Connects to the endpoint of `stateDir`; resolves null when no live instance answers. With `language` (a locale,
 * the command line's), the host answers each call in it rather than in its own (the window's).
 */
export async function connectControlEndpoint(stateDir: string, language?: string): Promise<EndpointConnection | null> {
  const socketPath = endpointPath(stateDir);
  if (process.platform !== 'win32' && !existsSync(socketPath)) return null;
  const socket = await new Promise<Socket | null>((resolve) => {
    const candidate = connect(socketPath);
    candidate.once('connect', () => resolve(candidate));
    candidate.once('error', () => resolve(null));
  });
  if (socket === null) return null;
  return createConnection(socket, language);
}

function createConnection(socket: Socket, language: string | undefined): EndpointConnection {
  let nextId = 1;
  const pending = new Map<number, (result: WireResult<unknown>) => void>();
  const listeners = new Set<(event: SyncEvent) => void>();
  let subscribed = false;
  const fail = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'DISCONNECTED', message } });
    pending.clear();
  };
  socket.on('close', () => fail(hostText(language)('error.hostClosed')));
  socket.on('error', () => socket.destroy());
  readLines(socket, maxLineBytes * 16, (line) => {
    const message = JSON.parse(line) as { id?: number | null; result?: WireResult<unknown>; event?: SyncEvent };
    if (message.event !== undefined) for (const listener of [...listeners]) listener(message.event);
    else if (typeof message.id === 'number' && message.result !== undefined) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  }, () => socket.destroy());
  const request = (payload: Record<string, unknown>): Promise<WireResult<unknown>> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.write(`${JSON.stringify({ id, ...payload })}\n`);
    });
  const api = createRemoteApi(
    (call, body) => request({ call, request: body, ...(language === undefined ? {} : { language }) }),
    (listener) => {
      listeners.add(listener);
      if (!subscribed) {
        subscribed = true;
        void request({ subscribe: true });
      }
      return () => listeners.delete(listener);
    },
  );
  return { api, close: () => socket.destroy() };
}
