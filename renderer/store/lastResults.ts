import type { SyncResult, SyncState } from '../../app/control/schemas.ts';
import { itemKey } from './handlerIndex.ts';

/**
 * The outcome of the last session of a handler or item, for "statistics of the last session" in Properties.
 * The host's summaries carry only counts and a time; the events say how the last run ended, so the window keeps
 * the latest of them. Counts are null until the session's `sessionFinished` arrives (an `itemFinished` has none).
 */
export interface LastResult {
  readonly sessionId: string;
  readonly state: SyncState;
  readonly errors: number | null;
  readonly conflicts: number | null;
  /** When the window learned of the end (events carry no time of their own). */
  readonly finishedTime: number;
  /** The handler reported the session as a manual sync. */
  readonly manual: boolean;
}

/** Last results by row key: the handler id, or `handlerId/itemId`. */
export type LastResults = ReadonlyMap<string, LastResult>;

/** Records an `itemFinished`: the item's final state, counts to follow with the session's end. */
export function withItemFinished(results: LastResults, handlerId: string, itemId: string, sessionId: string, state: SyncState, time: number): LastResults {
  const next = new Map(results);
  next.set(itemKey(handlerId, itemId), { sessionId, state, errors: null, conflicts: null, finishedTime: time, manual: false });
  return next;
}

/** Records a `sessionFinished`: the handler's aggregate and each item's counts. */
export function withSessionFinished(results: LastResults, handlerId: string, sessionId: string, result: SyncResult, manual: boolean, time: number): LastResults {
  const next = new Map(results);
  next.set(handlerId, { sessionId, state: result.status, errors: result.errors, conflicts: result.conflicts, finishedTime: time, manual });
  for (const item of result.items) {
    const key = itemKey(item.handlerId, item.itemId);
    const earlier = next.get(key);
    // The item's own end came first and is the better time; keep it when it belongs to this session.
    const finishedTime = earlier?.sessionId === sessionId ? earlier.finishedTime : time;
    next.set(key, { sessionId, state: item.state, errors: item.errors, conflicts: item.conflicts, finishedTime, manual });
  }
  return next;
}
