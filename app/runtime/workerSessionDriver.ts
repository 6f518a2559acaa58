/**
 * The host's handle on a session: `SessionDriver`, implemented for sessions run in a session worker (through the
 * process's `SessionWorkerPool`, which forwards the worker's messages, writes cancel requests into shared memory,
 * offers queued items, and turns a dying worker into a `failed` message so the session always ends) and for
 * sessions run by another process.
 */
import type { ResolvedRegistration } from './handlerRegistry.ts';
import { createCancelBuffer, ItemSlots, readCancel, type SessionMessage } from './sessionProtocol.ts';
import { SessionWorkerPool } from './sessionWorkerPool.ts';
import type { CancelRequest } from './syncHandler.ts';

/** The host's handle on a running session, whatever runs it (a worker or an external process). */
export interface SessionDriver {
  /** Mirrors the worker's item numbering; the manager adds items when it sees `addItems`. */
  readonly slots: ItemSlots;
  cancelItems(itemIds: readonly string[]): void;
  cancelAll(): void;
  /** The cancel request an item would read now. */
  cancelRequest(itemId?: string): CancelRequest;
  /** Tells the session which of its handler's items are queued (for queryForAdditionalItems). */
  offerQueued(itemIds: readonly string[]): void;
  /** Ends the session by force; no message is delivered after this. */
  terminate(): Promise<void>;
}

/**
 * The process's session workers. One pool serves every core of the process; its workers are kept per handler
 * registration (a registration names its handler's data directory, so two cores never share a worker).
 */
export const sessionWorkers = new SessionWorkerPool();

/**
 * Runs a session for `itemIds` in a session worker (an idle one of this registration, else a new one); every
 * message, and a final `failed` if the worker dies, goes to `onMessage`.
 */
export function startWorkerSession(
  registration: ResolvedRegistration,
  itemIds: readonly string[],
  onMessage: (message: SessionMessage) => void,
): SessionDriver {
  return sessionWorkers.start(registration, itemIds, onMessage);
}

/** A driver for a session run by another process, which reads its cancel request in the reply to each report. */
export function createExternalDriver(itemIds: readonly string[]): SessionDriver {
  const cancel = new Int32Array(createCancelBuffer());
  const slots = new ItemSlots(itemIds);
  return {
    slots,
    cancelItems(ids) {
      for (const id of ids) {
        const slot = slots.slot(id);
        if (slot !== undefined) cancel[slot] = 1;
      }
    },
    cancelAll: () => void (cancel[0] = 1),
    cancelRequest: (itemId) => readCancel(cancel, itemId === undefined ? undefined : slots.slot(itemId)),
    offerQueued: () => {},
    terminate: async () => {},
  };
}
