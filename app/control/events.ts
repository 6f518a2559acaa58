/**
 * The closed, past-tense union of events the host publishes to every subscriber (window, CLI, endpoint clients).
 * Progress events are coalesced at the source (at most 10 per second per item); subscribers never throttle.
 */
import { z } from 'zod';
import {
  conflictSchema,
  handlerIdSchema,
  itemIdSchema,
  progressSchema,
  syncResultEventSchema,
  syncResultSchema,
  syncStateSchema,
} from './schemas.ts';

/** The handler list changed shape (added/removed items, renamed, enabled...): re-read it. */
const handlersChanged = z.object({ type: z.literal('handlersChanged') });

/** Schedules were added, changed, removed, or ran (their next run moved): re-read them. */
const schedulesChanged = z.object({ type: z.literal('schedulesChanged') });

/** An item's state or progress changed. */
const itemProgressed = z.object({
  type: z.literal('itemProgressed'),
  handlerId: handlerIdSchema,
  itemId: itemIdSchema,
  state: syncStateSchema,
  progress: progressSchema.nullable(),
});

/** A handler's aggregate state or progress text changed. */
const handlerProgressed = z.object({
  type: z.literal('handlerProgressed'),
  handlerId: handlerIdSchema,
  state: syncStateSchema,
  progress: progressSchema.nullable(),
});

/** A session began running these items. */
const sessionStarted = z.object({
  type: z.literal('sessionStarted'),
  sessionId: z.string(),
  handlerId: handlerIdSchema,
  itemIds: z.array(itemIdSchema),
});

/** An item entered a running session (at its start, or later through addItemToSession). */
const itemStarted = z.object({ type: z.literal('itemStarted'), sessionId: z.string(), handlerId: handlerIdSchema, itemId: itemIdSchema });

/** An item reached its final state in a session. */
const itemFinished = z.object({
  type: z.literal('itemFinished'),
  sessionId: z.string(),
  handlerId: handlerIdSchema,
  itemId: itemIdSchema,
  state: syncStateSchema,
});

/** A session ended; `manual` says the handler reported it as a manual sync. */
const sessionFinished = z.object({
  type: z.literal('sessionFinished'),
  sessionId: z.string(),
  handlerId: handlerIdSchema,
  result: syncResultSchema,
  manual: z.boolean(),
});

/** A start request (startHandlerSync, startItemSync, startSyncAll) resolved. */
const requestFinished = z.object({ type: z.literal('requestFinished'), requestId: z.string(), result: syncResultSchema });

/** A handler (or the host on its behalf) recorded an event in Sync Results. */
const eventReported = z.object({ type: z.literal('eventReported'), event: syncResultEventSchema });

/** Events were removed from Sync Results (by the user or by retention). */
const eventsRemoved = z.object({ type: z.literal('eventsRemoved'), ids: z.array(z.string()) });

/** A handler reported a conflict. */
const conflictDetected = z.object({ type: z.literal('conflictDetected'), conflict: conflictSchema });

/** Conflicts left the open list (resolved, skipped or removed). */
const conflictsResolved = z.object({ type: z.literal('conflictsResolved'), ids: z.array(z.string()) });

export const syncEventSchema = z.discriminatedUnion('type', [
  handlersChanged,
  itemProgressed,
  handlerProgressed,
  sessionStarted,
  itemStarted,
  itemFinished,
  sessionFinished,
  requestFinished,
  eventReported,
  eventsRemoved,
  conflictDetected,
  conflictsResolved,
  schedulesChanged,
]);

export type SyncEvent = z.infer<typeof syncEventSchema>;
export type SyncEventType = SyncEvent['type'];
