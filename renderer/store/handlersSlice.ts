import type { StateCreator } from 'zustand';
import type { HandlerSummary, ItemSummary, Progress, SyncState } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';

/** Where the first read of the handler list stands. */
export type LoadStatus = 'loading' | 'ready' | 'failed';

/** The handlers (sync partnerships) and their items, as the host last reported them. */
export interface HandlersSlice {
  readonly handlers: readonly HandlerSummary[];
  readonly handlersStatus: LoadStatus;
  /** The message of the last failed load, shown with a retry button. */
  readonly handlersError: string | null;
  /** Replaces the whole list (initial load, `handlersChanged`, resync after reconnect). */
  setHandlers(handlers: readonly HandlerSummary[]): void;
  setHandlersFailed(message: string): void;
  /** Applies an `itemProgressed` event; unknown handlers or items are ignored until the next full read. */
  applyItemProgress(handlerId: string, itemId: string, state: SyncState, progress: Progress | null): void;
  /** Applies a `handlerProgressed` event. */
  applyHandlerProgress(handlerId: string, state: SyncState, progress: Progress | null): void;
}

/** Builds the handlers slice. Updates copy only the handler and item that changed, so rows that did not change keep their identity and do not re-render. */
export const createHandlersSlice: StateCreator<AppState, AppMutators, [], HandlersSlice> = (set) => ({
  handlers: [],
  handlersStatus: 'loading',
  handlersError: null,
  setHandlers: (handlers) => set({ handlers, handlersStatus: 'ready', handlersError: null }),
  setHandlersFailed: (message) =>
    // A failed refresh after a good load keeps showing the last known list rather than blanking the window.
    set((state) => (state.handlersStatus === 'ready' ? { handlersError: message } : { handlersStatus: 'failed', handlersError: message })),
  applyItemProgress: (handlerId, itemId, itemState, progress) =>
    set((state) => {
      const handlers = updateHandler(state.handlers, handlerId, (handler) => {
        const items = updateItem(handler.items, itemId, (item) => withProgress(item, itemState, progress));
        return items === handler.items ? handler : { ...handler, items };
      });
      return handlers === state.handlers ? state : { handlers };
    }),
  applyHandlerProgress: (handlerId, handlerState, progress) =>
    set((state) => {
      const handlers = updateHandler(state.handlers, handlerId, (handler) => withProgress(handler, handlerState, progress));
      return handlers === state.handlers ? state : { handlers };
    }),
});

function withProgress<T extends { state: SyncState; progress: Progress | null }>(entry: T, state: SyncState, progress: Progress | null): T {
  if (entry.state === state && sameProgress(entry.progress, progress)) return entry;
  return { ...entry, state, progress };
}

function sameProgress(a: Progress | null, b: Progress | null): boolean {
  if (a === null || b === null) return a === b;
  return a.current === b.current && a.max === b.max && a.text === b.text;
}

function updateHandler(
  handlers: readonly HandlerSummary[],
  handlerId: string,
  update: (handler: HandlerSummary) => HandlerSummary,
): readonly HandlerSummary[] {
  const index = handlers.findIndex((handler) => handler.id === handlerId);
  const current = handlers[index];
  if (current === undefined) return handlers;
  const next = update(current);
  if (next === current) return handlers;
  return handlers.with(index, next);
}

function updateItem(items: readonly ItemSummary[], itemId: string, update: (item: ItemSummary) => ItemSummary): ItemSummary[] {
  const index = items.findIndex((item) => item.id === itemId);
  const current = items[index];
  if (current === undefined) return items as ItemSummary[];
  const next = update(current);
  return next === current ? (items as ItemSummary[]) : items.with(index, next);
}
