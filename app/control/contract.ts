/**
 * The one contract of the control API: each call is `{ request, response }` (zod schemas), each event is a member
 * of `syncEventSchema`. IPC, the web host, the control endpoint and the CLI are all generic over this record, so
 * adding a call here is the only step needed to expose it everywhere.
 */
import { z } from 'zod';
import { handlerSummarySchema, hostInfoSchema } from './schemas.ts';
import type { SyncEvent } from './events.ts';
import type { WireResult } from './result.ts';

/** A call's request and response schemas. */
export interface CallSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

const empty = z.object({}).strict();

/** Every call of the control API. */
export const calls = {
  /** Host version and transport, for the About box and diagnostics. */
  getHostInfo: { request: empty, response: hostInfoSchema },
  /** Every registered handler with its items and live states (ISyncMgrControl enumeration). */
  listHandlers: { request: empty, response: z.array(handlerSummarySchema) },
} as const satisfies Record<string, CallSpec>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;

/** Unsubscribes the listener it was returned for. */
export type Unsubscribe = () => void;

/** The control API as every caller sees it: one async function per call plus the event subscription. */
export type ControlCalls = { readonly [K in CallName]: (request: CallRequest<K>) => Promise<CallResponse<K>> };
export interface ControlApi extends ControlCalls {
  subscribe(listener: (event: SyncEvent) => void): Unsubscribe;
}

/** The names of all calls, for transports that enumerate them (preload, web host). */
export const callNames = Object.keys(calls) as CallName[];

/** Narrows an untrusted string to a call name. */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

/**
 * IPC channel names. Calls share one channel carrying `(name, request)`, so an unknown call name reaches the
 * main side's validation and gets a clear error instead of Electron's "no handler registered".
 */
export const ipcChannel = {
  call: 'synccenter:call',
  event: 'synccenter:event',
} as const;

/**
 * The shape of `window.syncCenter` that the preload exposes and the renderer consumes: one function per call,
 * resolving with the wire result (a rejected promise would lose the error code across contextBridge), and
 * `subscribe`, whose listener receives event payloads only.
 */
export type WireCalls = { readonly [K in CallName]: (request: CallRequest<K>) => Promise<WireResult<CallResponse<K>>> };
export interface SyncCenterBridge extends WireCalls {
  subscribe(listener: (event: SyncEvent) => void): Unsubscribe;
}

/**
 * The web host protocol (same contract over HTTP + WebSocket, loopback only):
 * - `POST /api/call/<name>` with the JSON request body and `Authorization: Bearer <token>`; the body of the
 *   answer is a `WireResult` (200 ok, 400 bad request, 401 no/wrong token, 403 wrong Origin, 404 unknown call,
 *   500 call failed).
 * - `GET /api/events` upgraded to a WebSocket with subprotocol `synccenter.<token>`; each message is one
 *   `SyncEvent` as JSON.
 * - The window's URL carries the token in its fragment (`#token=...`), which browsers never send to a server.
 */
export const webProtocol = {
  callPath: (name: string): string => `/api/call/${encodeURIComponent(name)}`,
  callPrefix: '/api/call/',
  eventsPath: '/api/events',
  tokenSubprotocolPrefix: 'synccenter.',
  tokenFragmentKey: 'token',
} as const;
