/**
 * The closed, past-tense union of events the host publishes to every subscriber (window, CLI, endpoint clients).
 * Progress events are coalesced at the source; subscribers never throttle.
 */
import { z } from 'zod';
import { handlerIdSchema, itemIdSchema, progressSchema, syncStateSchema } from './schemas.ts';

/** The handler list changed shape (added/removed items, renamed, enabled...): re-read it. */
const handlersChanged = z.object({ type: z.literal('handlersChanged') });

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

export const syncEventSchema = z.discriminatedUnion('type', [handlersChanged, itemProgressed, handlerProgressed]);

export type SyncEvent = z.infer<typeof syncEventSchema>;
export type SyncEventType = SyncEvent['type'];
