/**
 * The local web host: the control contract over HTTP + WebSocket for a browser window, bound to the loopback
 * interface only, guarded by a random per-start token and an Origin check. It also serves the built renderer.
 * Protocol: see `webProtocol` in the contract.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { webProtocol, type ControlApi } from '../control/contract.ts';
import { dispatchCall } from '../control/dispatch.ts';
import { createEventBatcher } from '../control/eventBatcher.ts';
import type { WireResult } from '../control/result.ts';

/** How to start the host. */
export interface WebHostOptions {
  readonly api: ControlApi;
  /** The built renderer (index.html and assets). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Only loopback addresses are accepted; anything else is refused before binding. */
  readonly host?: string;
  /** Injected for tests; defaults to 32 random bytes. */
  readonly token?: string;
}

/** A running host. `url` opens the window and carries the token in its fragment. */
export interface WebHost {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** Starts the host; rejects if asked to bind anything but a loopback address. */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!loopbackHosts.has(host)) {
    throw Object.assign(new Error(`The web host only binds to loopback (127.0.0.1, ::1, localhost), not "${host}".`), { code: 'NOT_LOOPBACK' });
  }
  const token = options.token ?? randomBytes(32).toString('base64url');
  const state = { origins: new Set<string>() };
  const server = createServer((request, response) => {
    handleRequest(request, response, { ...options, token, origins: state.origins }).catch((error: unknown) => {
      sendJson(response, 500, { ok: false, error: { code: 'INTERNAL', message: String(error) } });
    });
  });
  const sockets = attachEvents(server, options.api, token, state.origins);
  await listen(server, options.port, host);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The web host did not get a TCP address.');
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${urlHost}:${address.port}`;
  state.origins.add(origin);
  if (host === 'localhost' || urlHost === '127.0.0.1') state.origins.add(`http://localhost:${address.port}`);
  return {
    url: `${origin}/#${webProtocol.tokenFragmentKey}=${token}`,
    origin,
    token,
    port: address.port,
    close: () => closeServer(server, sockets),
  };
}

interface RequestContext extends WebHostOptions {
  readonly token: string;
  readonly origins: Set<string>;
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, context: RequestContext): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  if (url.pathname.startsWith('/api/')) {
    await handleApi(request, response, url, context);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, failure('METHOD_NOT_ALLOWED', `${request.method ?? 'This method'} is not allowed here.`));
    return;
  }
  await serveStatic(response, context.rendererDir, url.pathname);
}

async function handleApi(request: IncomingMessage, response: ServerResponse, url: URL, context: RequestContext): Promise<void> {
  const origin = request.headers.origin;
  if (origin !== undefined && !context.origins.has(origin)) {
    sendJson(response, 403, failure('FORBIDDEN_ORIGIN', `Requests from origin "${origin}" are not allowed.`));
    return;
  }
  if (!hasToken(request.headers.authorization, context.token)) {
    sendJson(response, 401, failure('UNAUTHORIZED', 'Missing or wrong token: open the window from the URL that "synccenter serve" printed.'));
    return;
  }
  if (request.method !== 'POST' || !url.pathname.startsWith(webProtocol.callPrefix)) {
    sendJson(response, 404, failure('NOT_FOUND', `No API at ${request.method ?? ''} ${url.pathname}.`));
    return;
  }
  const body = await readJsonBody(request);
  if (!body.ok) {
    sendJson(response, body.error.code === 'TOO_LARGE' ? 413 : 400, body);
    return;
  }
  const name = decodeURIComponent(url.pathname.slice(webProtocol.callPrefix.length));
  const result = await dispatchCall(context.api, name, body.value);
  sendJson(response, statusOf(result), result);
}

/** HTTP status for a call's outcome; the body always carries the precise code. */
function statusOf(result: WireResult<unknown>): number {
  if (result.ok) return 200;
  const byCode: Record<string, number> = { UNKNOWN_CALL: 404, NOT_FOUND: 404, BAD_REQUEST: 400, BAD_STATE: 409, BUSY: 409, INTERNAL: 500 };
  // Any other code is a domain refusal with a clear message (e.g. a handler rejecting a path).
  return byCode[result.error.code] ?? 422;
}

function hasToken(header: string | undefined, token: string): boolean {
  const presented = header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length) : '';
  return constantTimeEqual(presented, token);
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function failure(code: string, message: string): WireResult<never> {
  return { ok: false, error: { code, message } };
}

async function readJsonBody(request: IncomingMessage): Promise<WireResult<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) return failure('TOO_LARGE', `The request body is over ${maxBodyBytes} bytes.`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return failure('BAD_REQUEST', `The request body is not valid JSON: ${(error as Error).message}`);
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { ...securityHeaders, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function serveStatic(response: ServerResponse, rootDir: string, pathname: string): Promise<void> {
  const root = path.resolve(rootDir);
  const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = path.resolve(root, relative);
  // Parse, never prefix-match: `path.relative` tells whether the resolved file is inside the root.
  const inside = path.relative(root, file);
  if (inside.startsWith('..') || path.isAbsolute(inside) || relative.includes('\0')) {
    sendJson(response, 404, failure('NOT_FOUND', 'No such file.'));
    return;
  }
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) {
    const missingWindow = relative === 'index.html';
    sendJson(response, 404, failure('NOT_FOUND', missingWindow ? `The window is not built: no index.html in ${root}. Run "npm run build:renderer".` : 'No such file.'));
    return;
  }
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': relative === 'index.html' ? 'no-cache' : 'max-age=3600',
  });
  createReadStream(file).pipe(response);
}

function attachEvents(server: Server, api: ControlApi, token: string, origins: Set<string>): Set<WebSocket> {
  const sockets = new Set<WebSocket>();
  const expected = `${webProtocol.tokenSubprotocolPrefix}${token}`;
  const wss = new WebSocketServer({
    server,
    path: webProtocol.eventsPath,
    maxPayload: 4096,
    handleProtocols: (protocols) => (protocols.has(expected) ? expected : false),
    verifyClient: (info: { origin: string; req: IncomingMessage }) => {
      const offered = (info.req.headers['sec-websocket-protocol'] ?? '').split(',').map((entry) => entry.trim());
      return origins.has(info.origin) && offered.some((protocol) => constantTimeEqual(protocol, expected));
    },
  });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    const batcher = createEventBatcher((events) => socket.send(JSON.stringify(events)));
    const unsubscribe = api.subscribe((event) => batcher.push(event));
    socket.on('close', () => {
      unsubscribe();
      batcher.close();
      sockets.delete(socket);
    });
    // The channel is one-way; anything a page sends is ignored.
    socket.on('message', () => {});
  });
  return sockets;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, sockets: Set<WebSocket>): Promise<void> {
  for (const socket of sockets) socket.terminate();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
