/**
 * A full garbage collection in a session worker that has stayed idle for a while. A pooled worker keeps the heap
 * its last sessions grew: V8 gives pages back to the system only after a major collection, and an idle worker
 * allocates nothing that would start one. In the soak (`bench/soak.ts`, 20 pooled workers) the workers' used
 * heaps stayed flat while their committed heaps moved 356 → 612 MB and the process RSS followed them (+30 % in
 * 10 minutes); with this collection the committed heaps stay at their working size.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { realTimers, type Timers } from './timers.ts';

/** How long a worker waits, idle, before it collects (a session arriving meanwhile cancels it). */
export const IDLE_COLLECTION_MS = 500;

/**
 * V8's `gc()` for this thread's heap. It is exposed when Node runs with `--expose-gc` (the benchmarks); otherwise
 * the flag is set at run time and the function taken from a fresh context, as jest's leak detector does (V8 only
 * reads the flag when it creates a context). The flag is left set: switching it back would race with another
 * worker taking its own, and it only adds a `gc` function to contexts created later. Undefined where V8 refuses.
 */
export function fullCollection(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const collect: unknown = vm.runInNewContext('gc');
    return typeof collect === 'function' ? (collect as () => void) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `collect` once the worker has been idle for `delayMs`; `busy()` cancels a pending collection. */
export function createIdleCollection(collect: (() => void) | undefined, delayMs: number = IDLE_COLLECTION_MS, timers: Timers = realTimers): { idle(): void; busy(): void } {
  let pending: unknown;
  const busy = (): void => {
    if (pending !== undefined) timers.clearTimeout(pending);
    pending = undefined;
  };
  return {
    busy,
    idle() {
      busy();
      if (collect === undefined || delayMs < 0) return;
      pending = timers.setTimeout(() => {
        pending = undefined;
        collect();
      }, delayMs);
    },
  };
}
