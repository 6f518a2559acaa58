import { useSyncExternalStore } from 'react';

/**
 * The current time to the minute, re-rendering its users when the minute changes: for text such as "today at
 * 8:15" that depends on now. One shared interval serves every component that uses it.
 */
export function useMinuteClock(): number {
  return useSyncExternalStore(subscribe, currentMinute);
}

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    for (const notify of [...listeners]) notify();
  }, 15_000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

// Rounded so that the snapshot stays identical between notifications within a minute, as React requires.
function currentMinute(): number {
  return Math.floor(Date.now() / 60_000) * 60_000;
}
