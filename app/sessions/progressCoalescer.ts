/**
 * Coalesces progress at the source: per key (an item or a handler), at most one publication per interval; the
 * latest value always gets out, and state changes go out at once. Time and timers are injected for tests.
 */

import type { Timers } from '../runtime/timers.ts';

/** Publishes values per key, at most once per `intervalMs` unless urgent. */
export interface ProgressCoalescer<T> {
  push(key: string, value: T, urgent: boolean): void;
  /** Publishes any pending value of every key now (before a final state, or at shutdown). */
  flushAll(): void;
}

/** 100 ms: at most 10 progress events per second per item. */
export const progressIntervalMs = 100;

export function createProgressCoalescer<T>(
  publish: (value: T) => void,
  now: () => number,
  timers: Timers,
  intervalMs: number = progressIntervalMs,
): ProgressCoalescer<T> {
  const last = new Map<string, number>();
  const pending = new Map<string, { value: T; timer: unknown }>();
  const emit = (key: string, value: T): void => {
    last.set(key, now());
    publish(value);
  };
  const flush = (key: string): void => {
    const entry = pending.get(key);
    if (entry === undefined) return;
    pending.delete(key);
    timers.clearTimeout(entry.timer);
    emit(key, entry.value);
  };
  return {
    push(key, value, urgent) {
      const since = now() - (last.get(key) ?? Number.NEGATIVE_INFINITY);
      if (urgent || since >= intervalMs) {
        const entry = pending.get(key);
        if (entry !== undefined) timers.clearTimeout(entry.timer);
        pending.delete(key);
        emit(key, value);
        return;
      }
      const entry = pending.get(key);
      if (entry !== undefined) {
        entry.value = value;
        return;
      }
      pending.set(key, { value, timer: timers.setTimeout(() => flush(key), intervalMs - since) });
    },
    flushAll() {
      for (const key of [...pending.keys()]) flush(key);
    },
  };
}
