import { expect, test } from 'vitest';
import type { Timers } from '../runtime/timers.ts';
import { createProgressCoalescer } from './progressCoalescer.ts';

/** A manual clock and timer queue. */
function fakeTime() {
  let now = 0;
  let nextHandle = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  const timers: Timers = {
    setTimeout: (callback, ms) => (pending.set(nextHandle, { at: now + ms, callback }), nextHandle++),
    clearTimeout: (handle) => void pending.delete(handle as number),
  };
  const advance = (ms: number): void => {
    now += ms;
    for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > now) continue;
      pending.delete(handle);
      timer.callback();
    }
  };
  return { now: () => now, timers, advance };
}

test('at most one publication per 100 ms per key, and the latest value always gets out', () => {
  const time = fakeTime();
  const published: string[] = [];
  const coalescer = createProgressCoalescer<string>((value) => published.push(value), time.now, time.timers);
  for (let step = 0; step < 50; step += 1) {
    coalescer.push('a', `a${step}`, false);
    time.advance(10);
  }
  time.advance(100);
  // 500 ms of reports every 10 ms: the first at once, then the latest every 100 ms, and the last one.
  expect(published).toEqual(['a0', 'a9', 'a19', 'a29', 'a39', 'a49']);
});

test('urgent values (state changes) go out at once and replace a pending one; keys are independent', () => {
  const time = fakeTime();
  const published: string[] = [];
  const coalescer = createProgressCoalescer<string>((value) => published.push(value), time.now, time.timers);
  coalescer.push('a', 'a1', false);
  coalescer.push('b', 'b1', false);
  coalescer.push('a', 'a2', false);
  coalescer.push('a', 'done', true);
  time.advance(200);
  expect(published).toEqual(['a1', 'b1', 'done']);
});
