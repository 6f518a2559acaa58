/**
 * Batches events for a transport: events published within one interval leave together as one message, so a
 * window applies a burst of progress (hundreds of items a second) in one task and renders once, not once per
 * event. Order is kept; nothing is dropped. The first event of a quiet period waits at most `intervalMs`.
 */
import type { SyncEvent } from './events.ts';

/** A batcher; `close` sends what is pending and stops. */
export interface EventBatcher {
  push(event: SyncEvent): void;
  close(): void;
}

/** 33 ms: about 30 messages a second at most, below a display's frame rate. */
export const eventBatchIntervalMs = 33;

/** Creates a batcher that hands `send` arrays of events. */
export function createEventBatcher(send: (events: SyncEvent[]) => void, intervalMs: number = eventBatchIntervalMs): EventBatcher {
  let pending: SyncEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    send(batch);
  };
  return {
    push(event) {
      pending.push(event);
      timer ??= setTimeout(flush, intervalMs);
    },
    close() {
      if (timer !== null) clearTimeout(timer);
      flush();
    },
  };
}
