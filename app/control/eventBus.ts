/**
 * In-process fan-out of `SyncEvent`s to subscribers. A throwing listener is isolated from the others.
 */
import type { Unsubscribe } from './contract.ts';
import type { SyncEvent } from './events.ts';

export interface EventBus {
  publish(event: SyncEvent): void;
  subscribe(listener: (event: SyncEvent) => void): Unsubscribe;
}

/** Creates a bus; `onListenerError` receives errors thrown by listeners. */
export function createEventBus(onListenerError: (error: unknown) => void = () => {}): EventBus {
  const listeners = new Set<(event: SyncEvent) => void>();
  return {
    publish(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
