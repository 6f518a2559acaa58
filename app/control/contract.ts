/**
 * The one contract of the control API: each call is `{ request, response }` (zod schemas), each event is a member
 * of `syncEventSchema`. IPC, the web host, the control endpoint and the CLI are all generic over this record, so
 * adding a call here is the only step needed to expose it everywhere.
 */
import { z } from 'zod';
import {
  conflictPolicySchema,
  cancelRequestSchema,
  conflictSchema,
  eventLevelSchema,
  handlerIdSchema,
  handlerSummarySchema,
  hostInfoSchema,
  itemIdSchema,
  itemDetailsSchema,
  itemSummarySchema,
  nameSchema,
  progressStatusSchema,
  resolutionChoiceSchema,
  scheduleConditionsSchema,
  scheduleSchema,
  scheduleTriggerSchema,
  syncResultEventSchema,
  syncResultSchema,
} from './schemas.ts';
import type { SyncEvent } from './events.ts';
import type { WireResult } from './result.ts';

/** A call's request and response schemas. */
export interface CallSpec {
  readonly request: z.ZodType;
  readonly response: z.ZodType;
}

const empty = z.object({}).strict();
const done = z.object({}).strict();
/** SCF_IGNORE_IF_ALREADY_SYNCING: an item both running and requested again is not run a second time. */
const ignoreFlag = { ignoreIfAlreadySyncing: z.boolean().optional() };
const handlerRef = { handlerId: handlerIdSchema };
const itemRefs = { handlerId: handlerIdSchema, itemIds: z.array(itemIdSchema).min(1).max(1000) };
const itemRef = { handlerId: handlerIdSchema, itemId: itemIdSchema };
const idList = z.array(z.string().min(1).max(64)).max(10_000);
const scheduleRef = { id: z.string().min(1).max(64) };

/** One progress report of an external session (the background-engine pattern: CLSID_SyncMgrClient). */
export const externalProgressSchema = z.object({
  itemId: itemIdSchema,
  text: z.string().max(260),
  status: progressStatusSchema,
  current: z.number().int().nonnegative(),
  max: z.number().int().nonnegative(),
});

/** An event reported by an external session. */
export const externalEventSchema = z.object({
  itemId: itemIdSchema.nullable().optional(),
  level: eventLevelSchema,
  name: z.string().max(128),
  description: z.string().max(4096),
  link: z.string().max(2048).optional(),
  context: z.string().max(4096).optional(),
});

/** Every call of the control API. */
export const calls = {
  /** Host version and transport, for the About box and diagnostics. */
  getHostInfo: { request: empty, response: hostInfoSchema },
  /**
   * The language of the text the host makes from now on (errors, Sync Results, handlers' progress), so that it
   * follows the window's language; until a window sets it, the system's (`SYNCCENTER_LANG`, else `LC_ALL`, `LC_MESSAGES`, `LANG`).
   */
  setHostLanguage: { request: z.object({ language: z.enum(['en', 'fr']) }).strict(), response: done },
  /** Every registered handler with its items and live states (ISyncMgrControl enumeration). */
  listHandlers: { request: empty, response: z.array(handlerSummarySchema) },
  /** StartHandlerSync: queue every enabled item of a handler; resolves when that request ends. */
  startHandlerSync: { request: z.object({ ...handlerRef, ...ignoreFlag }).strict(), response: syncResultSchema },
  /** StartItemSync: queue these items; resolves when they have all ended. */
  startItemSync: { request: z.object({ ...itemRefs, ...ignoreFlag }).strict(), response: syncResultSchema },
  /** StartSyncAll: every active, enabled, connected handler's enabled items. */
  startSyncAll: { request: z.object({ ...ignoreFlag }).strict(), response: syncResultSchema },
  /** StopHandlerSync: cancel all of a handler's running and queued items. */
  stopHandlerSync: { request: z.object(handlerRef).strict(), response: done },
  /** StopItemSync: cancel these items (the handler learns of it at its next progress report). */
  stopItemSync: { request: z.object(itemRefs).strict(), response: done },
  /** StopSyncAll. */
  stopSyncAll: { request: empty, response: done },
  /** EnableHandler. */
  enableHandler: { request: z.object({ ...handlerRef, enabled: z.boolean() }).strict(), response: done },
  /** EnableItem. */
  enableItem: { request: z.object({ ...itemRef, enabled: z.boolean() }).strict(), response: done },
  /** ActivateHandler: an inactive handler is listed but takes no part in Sync All. */
  activateHandler: { request: z.object({ ...handlerRef, active: z.boolean() }).strict(), response: done },
  /** Deletes an item (the handler must allow it); its events and conflicts go with it. */
  deleteItem: { request: z.object(itemRef).strict(), response: done },
  /** Creates an item through the handler's setup entry (e.g. folders: [left, right]). */
  addItem: {
    request: z
      .object({
        ...handlerRef,
        args: z.array(z.string().max(4096)).max(32),
        name: nameSchema.optional(),
        exclude: z.array(z.string().min(1).max(1024)).max(256).optional(),
        conflictPolicy: conflictPolicySchema.optional(),
      })
      .strict(),
    response: itemSummarySchema,
  },
  /** An item's locations (for Browse), options and last session (for Properties). */
  getItemDetails: { request: z.object(itemRef).strict(), response: itemDetailsSchema },
  /** Sync Results, newest first, with optional filters. */
  listEvents: {
    request: z
      .object({
        handlerId: handlerIdSchema.optional(),
        itemId: itemIdSchema.optional(),
        level: eventLevelSchema.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
      })
      .strict(),
    response: z.array(syncResultEventSchema),
  },
  /** Removes events by id, or all of them when `ids` is omitted. */
  removeEvents: { request: z.object({ ids: idList.optional() }).strict(), response: z.object({ removed: z.number().int() }) },
  /** Open conflicts, oldest first, with optional filters. */
  listConflicts: {
    request: z.object({ handlerId: handlerIdSchema.optional(), itemId: itemIdSchema.optional(), kind: z.string().max(64).optional() }).strict(),
    response: z.array(conflictSchema),
  },
  /** Resolves a conflict through its handler; with `applyToAllOfKind` every open conflict of the same handler and kind. */
  resolveConflict: {
    request: z.object({ conflictId: z.string().min(1).max(64), choice: resolutionChoiceSchema, applyToAllOfKind: z.boolean().optional() }).strict(),
    response: z.object({ resolved: z.array(z.string()) }),
  },
  /** Removes conflicts from the list without resolving them (the next sync reports them again if they still hold). */
  removeConflicts: { request: z.object({ ids: idList }).strict(), response: z.object({ removed: z.number().int() }) },
  /**
   * A session run by another process (a background engine) for a registered handler: the first report opens it
   * (omit `sessionId`, give `itemIds`), later reports carry the returned `sessionId`; `finished` closes it.
   * The answer carries the cancel request, as ReportProgress does.
   */
  reportSession: {
    request: z
      .object({
        ...handlerRef,
        sessionId: z.string().min(1).max(64).optional(),
        itemIds: z.array(itemIdSchema).max(1000).optional(),
        progress: z.array(externalProgressSchema).max(1000).optional(),
        events: z.array(externalEventSchema).max(1000).optional(),
        finished: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ sessionId: z.string(), cancelRequest: cancelRequestSchema }),
  },
  /** Schedules, oldest first, each with its computed next run; optionally only a handler's. */
  listSchedules: { request: z.object({ handlerId: handlerIdSchema.optional() }).strict(), response: z.array(scheduleSchema) },
  /**
   * Creates a schedule (no `id`) or replaces one (`id` of an existing schedule). `itemIds` null or absent means
   * every enabled item of the handler; `name` defaults to a description of the trigger in the host's language.
   */
  saveSchedule: {
    request: z
      .object({
        id: scheduleRef.id.optional(),
        name: nameSchema.optional(),
        enabled: z.boolean().optional(),
        handlerId: handlerIdSchema,
        itemIds: z.array(itemIdSchema).min(1).max(1000).nullable().optional(),
        trigger: scheduleTriggerSchema,
        conditions: scheduleConditionsSchema.optional(),
      })
      .strict(),
    response: scheduleSchema,
  },
  /** Removes a schedule. */
  removeSchedule: { request: z.object(scheduleRef).strict(), response: done },
  /** Turns a schedule on or off; turning it on counts its times from now (nothing missed while it was off runs). */
  enableSchedule: { request: z.object({ ...scheduleRef, enabled: z.boolean() }).strict(), response: scheduleSchema },
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
  pickFolder: 'synccenter:pickFolder',
  openLocation: 'synccenter:openLocation',
} as const;

/**
 * The shape of `window.syncCenter` that the preload exposes and the renderer consumes: one function per call,
 * resolving with the wire result (a rejected promise would lose the error code across contextBridge), and
 * `subscribe`, whose listener receives event payloads only.
 */
export type WireCalls = { readonly [K in CallName]: (request: CallRequest<K>) => Promise<WireResult<CallResponse<K>>> };
export interface SyncCenterBridge extends WireCalls {
  subscribe(listener: (event: SyncEvent) => void): Unsubscribe;
  /** Window-only (Electron): the native folder picker; resolves with the chosen folder, or null if canceled. */
  pickFolder?(): Promise<string | null>;
  /**
   * Window-only (Electron): opens one of an item's locations (as `getItemDetails` lists them) in the system's file
   * manager. A path that is not one of the item's locations is refused (BAD_PATH).
   */
  openLocation?(handlerId: string, itemId: string, path: string): Promise<WireResult<null>>;
}

/**
 * The web host protocol (same contract over HTTP + WebSocket, loopback only):
 * - `POST /api/call/<name>` with the JSON request body and `Authorization: Bearer <token>`; the body of the
 *   answer is a `WireResult` (200 ok, 400 bad request, 401 no/wrong token, 403 wrong Origin, 404 unknown call,
 *   500 call failed).
 * - `GET /api/events` upgraded to a WebSocket with subprotocol `synccenter.<token>`; each message is a JSON array of
 *   `SyncEvent`s published within one batching interval (see `eventBatcher.ts`), in order.
 * - The window's URL carries the token in its fragment (`#token=...`), which browsers never send to a server.
 */
export const webProtocol = {
  callPath: (name: string): string => `/api/call/${encodeURIComponent(name)}`,
  callPrefix: '/api/call/',
  eventsPath: '/api/events',
  tokenSubprotocolPrefix: 'synccenter.',
  tokenFragmentKey: 'token',
} as const;

/**
 * What `synccenter --json <command>` prints on stdout (one JSON document), per command. Errors print
 * `cliJson.error` instead. The CLI's exit code still says how it went (0, 1 failed, 2 bad input, 3 conflicts).
 */
export const cliJson = {
  add: itemSummarySchema,
  list: z.array(handlerSummarySchema),
  sync: syncResultSchema,
  stop: z.object({ ok: z.literal(true) }),
  enable: z.object({ ok: z.literal(true) }),
  disable: z.object({ ok: z.literal(true) }),
  remove: z.object({ ok: z.literal(true) }),
  show: itemDetailsSchema,
  conflicts: z.array(conflictSchema),
  resolve: z.object({ resolved: z.array(z.string()) }),
  events: z.array(syncResultEventSchema),
  'schedule list': z.array(scheduleSchema),
  'schedule add': scheduleSchema,
  'schedule remove': z.object({ ok: z.literal(true) }),
  serve: z.object({ url: z.string(), endpoint: z.string() }),
  error: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
} as const;
