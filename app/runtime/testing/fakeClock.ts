/**
 * A manual clock with the timer port the scheduler uses: nothing runs until the test advances time, and then
 * timers fire in due order with `now()` set to each one's due time, as a real event loop would.
 */
import type { Timers } from '../timers.ts';

export class FakeClock implements Timers {
  #now: number;
  #nextHandle = 1;
  readonly #timers = new Map<number, { due: number; callback: () => void }>();

  constructor(start: number) {
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.#nextHandle++;
    this.#timers.set(handle, { due: this.#now + Math.max(0, ms), callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }

  /** How many timers are pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones they set). */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  async advanceTo(target: number): Promise<void> {
    for (;;) {
      const next = [...this.#timers.entries()].sort((a, b) => a[1].due - b[1].due)[0];
      if (next === undefined || next[1].due > target) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].due);
      next[1].callback();
      // Let promise continuations of the callback run before the next timer, as between event-loop turns.
      await settle();
    }
    this.#now = Math.max(this.#now, target);
    await settle();
  }
}

/** Lets pending promise continuations (and a few chained ones) run. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
}
