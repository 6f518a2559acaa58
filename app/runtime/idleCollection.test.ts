import { expect, test } from 'vitest';
import { createIdleCollection, fullCollection } from './idleCollection.ts';
import { FakeClock } from './testing/fakeClock.ts';

test('collects once after the idle delay; a session arriving first cancels it', async () => {
  const timers = new FakeClock(0);
  let collections = 0;
  const idle = createIdleCollection(() => (collections += 1), 500, timers);
  idle.idle();
  await timers.advance(499);
  idle.busy();
  await timers.advance(1000);
  expect(collections).toBe(0);
  idle.idle();
  idle.idle(); // two ends in a row still give one collection
  expect(timers.pending).toBe(1);
  await timers.advance(499);
  expect(collections).toBe(0);
  await timers.advance(1);
  expect(collections).toBe(1);
  idle.busy(); // nothing pending: harmless
  expect(timers.pending).toBe(0);
});

test('a negative delay or no collector never schedules anything', () => {
  const timers = new FakeClock(0);
  createIdleCollection(() => undefined, -1, timers).idle();
  createIdleCollection(undefined, 500, timers).idle();
  expect(timers.pending).toBe(0);
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
