/**
 * The messages between a session's worker and the host thread, and the layout of the shared cancel buffer.
 * Pure data: both sides import it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { CancelRequest, ConflictReport, EventReport, ProgressStatus, ProposedItem } from './syncHandler.ts';

/** What a session (worker or external process) tells the host. */
export type SessionMessage =
  | { type: 'progress'; itemId: string; text: string; status: ProgressStatus; current: number; max: number }
  | { type: 'handlerText'; text: string }
  | { type: 'event'; event: EventReport }
  | { type: 'addItems'; itemIds: string[] }
  | { type: 'propose'; item: ProposedItem }
  | { type: 'commit'; itemId: string }
  | { type: 'conflict'; conflict: ConflictReport }
  | { type: 'manual' }
  | { type: 'done' }
  | { type: 'failed'; message: string };

/** What the host hands a session worker at the start of each session it runs. */
export interface SessionWorkerData {
  readonly handlerId: string;
  readonly specifier: string;
  readonly exportName: string;
  readonly options: unknown;
  readonly dataDir: string;
  readonly itemIds: string[];
  /** Int32 slots: [0] cancel all, [1 + n] cancel the n-th item the session learned of (see `itemSlots`). */
  readonly cancelBuffer: SharedArrayBuffer;
}

/**
 * The host's message starting one session in a (possibly reused) worker: the session's number, its data, and the
 * port on which queued item ids are offered (transferred, one per session).
 */
export interface SessionStart extends SessionWorkerData {
  readonly session: number;
  readonly queuedPort: MessagePort;
  /** How long the worker stays idle before a full garbage collection (negative: never; see `idleCollection.ts`). */
  readonly idleCollectionMs?: number;
  /**
   * The host's language when the session starts (`hostLocale()`): the worker speaks it for this session, also when
   * it was started before the window chose another one (`setHostLanguage`).
   */
  readonly language?: string;
}

/**
 * What a worker posts on its parent port: a message of the session numbered `session`. The number lets the host
 * drop anything an earlier session of the same worker still posts.
 */
export interface TaggedSessionMessage {
  readonly session: number;
  readonly message: SessionMessage;
}

/** Items a session can track, including those added later; more are refused (bounded shared memory). */
export const maxSessionItems = 4096;

/** Allocates the shared cancel buffer for one session. */
export function createCancelBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + maxSessionItems));
}

/**
 * Both sides number items in the same order (the initial ids, then each `addItems` message in order), so slot
 * numbers agree without a round trip.
 */
export class ItemSlots {
  readonly #slots = new Map<string, number>();

  constructor(initial: readonly string[]) {
    this.add(initial);
  }

  add(itemIds: readonly string[]): void {
    for (const id of itemIds) {
      if (!this.#slots.has(id) && this.#slots.size < maxSessionItems) this.#slots.set(id, this.#slots.size + 1);
    }
  }

  slot(itemId: string): number | undefined {
    return this.#slots.get(itemId);
  }

  has(itemId: string): boolean {
    return this.#slots.has(itemId);
  }

  ids(): string[] {
    return [...this.#slots.keys()];
  }
}

/** Reads the cancel request for an item from the shared buffer. */
export function readCancel(cancel: Int32Array, slot: number | undefined): CancelRequest {
  if (Atomics.load(cancel, 0) !== 0) return 'cancelAll';
  if (slot !== undefined && Atomics.load(cancel, slot) !== 0) return 'cancelItem';
  return 'none';
}
