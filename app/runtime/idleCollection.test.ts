import { expect, test } from 'vitest';
import { createIdleCollection, fullCollection, type IdleTimers } from './idleCollection.ts';

/** Timers that fire only when the test says so. */
function manualTimers(): IdleTimers & { fire(): void; pending(): number[] } {
  const timers = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    setTimeout: (callback, ms) => (timers.set((next += 1), { callback, ms }), next),
    clearTimeout: (handle) => void timers.delete(handle as number),
    fire() {
      const due = [...timers.values()];
      timers.clear();
      for (const timer of due) timer.callback();
    },
    pending: () => [...timers.values()].map((timer) => timer.ms),
  };
}

test('collects once after the idle delay; a session arriving first cancels it', () => {
  const timers = manualTimers();
  let collections = 0;
  const idle = createIdleCollection(() => (collections += 1), 500, timers);
  idle.idle();
  expect(timers.pending()).toEqual([500]);
  idle.busy();
  expect(timers.pending()).toEqual([]);
  timers.fire();
  expect(collections).toBe(0);
  idle.idle();
  idle.idle(); // two ends in a row still give one collection
  expect(timers.pending()).toEqual([500]);
  timers.fire();
  expect(collections).toBe(1);
  idle.busy(); // nothing pending: harmless
  expect(timers.pending()).toEqual([]);
});

test('a negative delay or no collector never schedules anything', () => {
  const timers = manualTimers();
  createIdleCollection(() => undefined, -1, timers).idle();
  createIdleCollection(undefined, 500, timers).idle();
  expect(timers.pending()).toEqual([]);
});

test('fullCollection gives V8\'s collector for this thread: garbage is freed', () => {
  const collect = fullCollection();
  expect(collect).toBeTypeOf('function');
  /** Allocates 64 MB, drops it, and says how much heap was in use while it was held. */
  const holding = (): number => {
    const garbage = Array.from({ length: 64 }, (_, index) => new Array<number>(131_072).fill(index + 0.5));
    return garbage.length > 0 ? process.memoryUsage().heapUsed : 0;
  };
  const held = holding();
  collect?.();
  expect(process.memoryUsage().heapUsed).toBeLessThan(held - 48 * 1024 * 1024);
});
