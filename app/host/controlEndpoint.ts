/**
 * The local control endpoint (CLSID_SyncMgrControl from another process): a Unix socket in the state directory
 * (a named pipe on Windows), owner-only, speaking the control contract as newline-delimited JSON.
 *
 * Protocol, one JSON object per line:
 * - call:      `{"id": 1, "call": "<name>", "request": {...}}` → `{"id": 1, "result": WireResult}`
 * - subscribe: `{"id": 2, "subscribe": true}` → `{"id": 2, "result": {"ok": true, "value": {}}}`, then
 *              `{"event": SyncEvent}` lines until the connection closes.
 * A line that is not such an object gets `{"id": null, "result": {"ok": false, "error": {"code": "BAD_REQUEST"}}}`.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import type { ControlApi } from '../control/contract.ts';
import { dispatchCall } from '../control/dispatch.ts';
import { ControlError } from '../control/result.ts';
import { readLines } from './endpointLines.ts';
import { hostText, inCallerLanguage } from '../runtime/hostText.ts';

/** A running endpoint. */
export interface ControlEndpoint {
  readonly path: string;
  close(): Promise<void>;
}

/** The longest line accepted; a longer one is refused and the connection closed. */
export const maxLineBytes = 1024 * 1024;

/** Where the endpoint of a state directory lives. */
export function endpointPath(stateDir: string): string {
  if (process.platform === 'win32') {
    const hash = createHash('sha256').update(path.resolve(stateDir).toLowerCase()).digest('hex').slice(0, 24);
    return `\\\\.\\pipe\\synccenter-${hash}`;
  }
  return path.join(stateDir, 'control.sock');
}

/** Starts the endpoint; fails with BUSY if another live instance already serves this state directory. */
export async function startControlEndpoint(api: ControlApi, stateDir: string): Promise<ControlEndpoint> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(stateDir, 0o700);
  const socketPath = endpointPath(stateDir);
  await clearStaleSocket(socketPath);
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(api, socket);
  });
  await listen(server, socketPath);
  if (process.platform !== 'win32') chmodSync(socketPath, 0o600);
  return {
    path: socketPath,
    close: () =>
      new Promise((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A socket file left by a crashed instance is removed; one that answers belongs to a live instance. */
async function clearStaleSocket(socketPath: string): Promise<void> {
  if (process.platform === 'win32' || !existsSync(socketPath)) return;
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new ControlError('BUSY', hostText()('error.alreadyServed', { dataDir: path.dirname(socketPath) }));
  unlinkSync(socketPath);
}

function serveConnection(api: ControlApi, socket: Socket): void {
  let unsubscribe: (() => void) | null = null;
  const send = (value: unknown): void => {
    if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\n`);
  };
  socket.on('close', () => unsubscribe?.());
  socket.on('error', () => socket.destroy());
  readLines(socket, maxLineBytes, (line) => {
    const message = parseMessage(line);
    if (message === null) {
      send({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: hostText()('error.badLine') } } });
      return;
    }
    if (message.subscribe) {
      unsubscribe ??= api.subscribe((event) => send({ event }));
      send({ id: message.id, result: { ok: true, value: {} } });
      return;
    }
    void inCallerLanguage(message.language, () => dispatchCall(api, message.call, message.request)).then((result) => send({ id: message.id, result }));
  }, () => {
    send({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: hostText()('error.lineTooLong', { bytes: maxLineBytes }) } } });
    socket.end();
  });
}

/** A line from a client: a call (with the language its text should be in, if it says), or a subscription. */
type EndpointMessage = { id: string | number; subscribe: true } | { id: string | number; subscribe: false; call: unknown; request: unknown; language?: string };

function parseMessage(line: string): EndpointMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'string' && typeof id !== 'number') return null;
  if (record.subscribe === true) return { id, subscribe: true };
  if (typeof record.call !== 'string') return null;
  const language = typeof record.language === 'string' && /^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?([.@][A-Za-z0-9_-]{1,16})?$/.test(record.language) ? record.language : undefined;
  return { id, subscribe: false, call: record.call, request: record.request, ...(language === undefined ? {} : { language }) };
}
