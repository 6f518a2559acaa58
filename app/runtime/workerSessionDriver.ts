/**
 * Host side of one session worker: starts the worker, forwards its messages, writes cancel requests into shared
 * memory, offers queued items, and turns a dying worker into a `failed` message so the session always ends.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { ResolvedRegistration } from './handlerRegistry.ts';
import { createCancelBuffer, ItemSlots, readCancel, type SessionMessage, type SessionWorkerData } from './sessionProtocol.ts';
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

/** Where the worker entry lives: `.ts` when running from source, `.js` when built. */
const workerUrl = new URL(`./sessionWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** Starts a session worker for `itemIds`; every message, and a final `failed` if the worker dies, goes to `onMessage`. */
export function startWorkerSession(
  registration: ResolvedRegistration,
  itemIds: readonly string[],
  onMessage: (message: SessionMessage) => void,
): SessionDriver {
  const cancelBuffer = createCancelBuffer();
  const cancel = new Int32Array(cancelBuffer);
  const slots = new ItemSlots(itemIds);
  const channel = new MessageChannel();
  const data: SessionWorkerData & { queuedPort: unknown } = {
    handlerId: registration.id,
    specifier: registration.specifier,
    exportName: registration.exportName,
    options: registration.options,
    dataDir: registration.dataDir,
    itemIds: [...itemIds],
    cancelBuffer,
    queuedPort: channel.port2,
  };
  const worker = new Worker(workerUrl, { workerData: data, transferList: [channel.port2] });
  let ended = false;
  const end = (message: SessionMessage): void => {
    if (ended) return;
    ended = true;
    onMessage(message);
  };
  worker.on('message', (message: SessionMessage) => {
    if (ended) return;
    if (message.type === 'done' || message.type === 'failed') end(message);
    else onMessage(message);
  });
  worker.on('error', (error) => end({ type: 'failed', message: `The handler's worker crashed: ${error.message}` }));
  worker.on('exit', (code) => end({ type: 'failed', message: `The handler's worker exited unexpectedly (code ${code}).` }));
  return {
    slots,
    cancelItems(ids) {
      for (const id of ids) {
        const slot = slots.slot(id);
        if (slot !== undefined) Atomics.store(cancel, slot, 1);
      }
    },
    cancelAll: () => void Atomics.store(cancel, 0, 1),
    cancelRequest: (itemId) => readCancel(cancel, itemId === undefined ? undefined : slots.slot(itemId)),
    offerQueued: (ids) => channel.port1.postMessage([...ids]),
    async terminate() {
      ended = true;
      channel.port1.close();
      await worker.terminate();
    },
  };
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
