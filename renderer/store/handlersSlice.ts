import type { StateCreator } from 'zustand';
import type { HandlerSummary, ItemSummary, Progress, SyncResult, SyncState } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';
import { buildHandlerIndex, emptyHandlerIndex, type HandlerIndex } from './handlerIndex.ts';
import { withItemFinished, withSessionFinished, type LastResults } from './lastResults.ts';

/** Where the first read of the handler list stands. */
export type LoadStatus = 'loading' | 'ready' | 'failed';

/** The handlers (sync partnerships) and their items, as the host last reported them. */
export interface HandlersSlice {
  readonly handlers: readonly HandlerSummary[];
  /** Positions and row keys of `handlers`; rebuilt only when the list is replaced. */
  readonly handlerIndex: HandlerIndex;
  readonly handlersStatus: LoadStatus;
  /** The message of the last failed load, shown with a retry button. */
  readonly handlersError: string | null;
  /** How the last session of each handler and item ended (from `itemFinished` / `sessionFinished`). */
  readonly lastResults: LastResults;
  /** Replaces the whole list (initial load, `handlersChanged`, resync after reconnect). */
  setHandlers(handlers: readonly HandlerSummary[]): void;
  setHandlersFailed(message: string): void;
  /** Applies an `itemProgressed` event; unknown handlers or items are ignored until the next full read. */
  applyItemProgress(handlerId: string, itemId: string, state: SyncState, progress: Progress | null): void;
  /** Applies a `handlerProgressed` event. */
  applyHandlerProgress(handlerId: string, state: SyncState, progress: Progress | null): void;
  /** Keeps an `itemFinished` event as the item's last result. */
  recordItemFinished(handlerId: string, itemId: string, sessionId: string, state: SyncState, time: number): void;
  /** Keeps a `sessionFinished` event as the handler's and its items' last result. */
  recordSessionFinished(handlerId: string, sessionId: string, result: SyncResult, manual: boolean, time: number): void;
}

/**
 * Builds the handlers slice. Updates copy only the handler and item that changed, so rows that did not change
 * keep their identity and do not re-render; the index turns "find this item" into two map look-ups.
 */
export const createHandlersSlice: StateCreator<AppState, AppMutators, [], HandlersSlice> = (set) => ({
  handlers: [],
  handlerIndex: emptyHandlerIndex,
  handlersStatus: 'loading',
  handlersError: null,
  lastResults: new Map(),
  setHandlers: (handlers) => set({ handlers, handlerIndex: buildHandlerIndex(handlers), handlersStatus: 'ready', handlersError: null }),
  setHandlersFailed: (message) =>
    // A failed refresh after a good load keeps showing the last known list rather than blanking the window.
    set((state) => (state.handlersStatus === 'ready' ? { handlersError: message } : { handlersStatus: 'failed', handlersError: message })),
  applyItemProgress: (handlerId, itemId, itemState, progress) =>
    set((state) => {
      const position = state.handlerIndex.itemPositions.get(handlerId)?.get(itemId);
      if (position === undefined) return state;
      const handlers = updateHandler(state, handlerId, (handler) => {
        const item = handler.items[position];
        if (item === undefined) return handler;
        const next = withProgress(item, itemState, progress);
        return next === item ? handler : { ...handler, items: handler.items.with(position, next) };
      });
      return handlers === state.handlers ? state : { handlers };
    }),
  applyHandlerProgress: (handlerId, handlerState, progress) =>
    set((state) => {
      const handlers = updateHandler(state, handlerId, (handler) => withProgress(handler, handlerState, progress));
      return handlers === state.handlers ? state : { handlers };
    }),
  recordItemFinished: (handlerId, itemId, sessionId, itemState, time) =>
    set((state) => ({ lastResults: withItemFinished(state.lastResults, handlerId, itemId, sessionId, itemState, time) })),
  recordSessionFinished: (handlerId, sessionId, result, manual, time) =>
    set((state) => ({ lastResults: withSessionFinished(state.lastResults, handlerId, sessionId, result, manual, time) })),
});

function withProgress<T extends { state: SyncState; progress: Progress | null }>(entry: T, state: SyncState, progress: Progress | null): T {
  if (entry.state === state && sameProgress(entry.progress, progress)) return entry;
  return { ...entry, state, progress };
}

function sameProgress(a: Progress | null, b: Progress | null): boolean {
  if (a === null || b === null) return a === b;
  return a.current === b.current && a.max === b.max && a.text === b.text;
}

function updateHandler(state: HandlersSlice, handlerId: string, update: (handler: HandlerSummary) => HandlerSummary): readonly HandlerSummary[] {
  const index = state.handlerIndex.handlerPositions.get(handlerId);
  const current = index === undefined ? undefined : state.handlers[index];
  if (index === undefined || current === undefined || current.id !== handlerId) return state.handlers;
  const next = update(current);
  if (next === current) return state.handlers;
  return state.handlers.with(index, next);
}

/** The handler with this id, through the index. */
export function findHandler(state: Pick<HandlersSlice, 'handlers' | 'handlerIndex'>, handlerId: string): HandlerSummary | undefined {
  const position = state.handlerIndex.handlerPositions.get(handlerId);
  return position === undefined ? undefined : state.handlers[position];
}

/** The item with these ids, through the index. */
export function findItem(state: Pick<HandlersSlice, 'handlers' | 'handlerIndex'>, handlerId: string, itemId: string): ItemSummary | undefined {
  const position = state.handlerIndex.itemPositions.get(handlerId)?.get(itemId);
  return position === undefined ? undefined : findHandler(state, handlerId)?.items[position];
}
