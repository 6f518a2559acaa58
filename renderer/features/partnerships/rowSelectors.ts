import type { HandlerSummary, ItemSummary } from '../../../app/control/schemas.ts';
import { findHandler } from '../../store/handlersSlice.ts';
import type { AppState } from '../../store/store.ts';
import { handlerRow, itemRow, type SyncRow } from './syncRows.ts';

/**
 * Per-row selectors for the partnerships grid. Each visible row subscribes to its own entry, so a progress
 * event re-renders the one row it concerns: rows are derived once per summary object (the slice keeps untouched
 * summaries identical), and a handler row whose visible fields did not change keeps its previous identity even
 * though the handler object was copied for an item's progress.
 */
const itemRows = new WeakMap<ItemSummary, SyncRow>();
const handlerRows = new WeakMap<HandlerSummary, SyncRow>();
const lastHandlerRows = new Map<string, SyncRow>();

const noKeys: readonly string[] = [];

/** The row keys of the open list: the handlers, or the items of the open handler. Stable between full reads. */
export function selectRowKeys(state: AppState): readonly string[] {
  if (state.openHandlerId === null) return state.handlerIndex.handlerKeys;
  return state.handlerIndex.itemKeys.get(state.openHandlerId) ?? noKeys;
}

/** The display row of a handler or item, or null when it is gone. */
export function selectRow(state: AppState, handlerId: string, itemId: string | null): SyncRow | null {
  const handler = findHandler(state, handlerId);
  if (handler === undefined) return null;
  if (itemId === null) return handlerRowOf(handler);
  const position = state.handlerIndex.itemPositions.get(handlerId)?.get(itemId);
  const item = position === undefined ? undefined : handler.items[position];
  return item === undefined ? null : itemRowOf(handler, item);
}

function itemRowOf(handler: HandlerSummary, item: ItemSummary): SyncRow {
  let row = itemRows.get(item);
  if (row === undefined) {
    row = itemRow(handler, item);
    itemRows.set(item, row);
  }
  return row;
}

function handlerRowOf(handler: HandlerSummary): SyncRow {
  let row = handlerRows.get(handler);
  if (row === undefined) {
    const fresh = handlerRow(handler);
    const previous = lastHandlerRows.get(handler.id);
    row = previous !== undefined && sameRow(previous, fresh) ? previous : fresh;
    handlerRows.set(handler, row);
    lastHandlerRows.set(handler.id, row);
  }
  return row;
}

/** Field-by-field equality; `progress` compares by value because the host sends a new object each time. */
export function sameRow(a: SyncRow, b: SyncRow): boolean {
  for (const key of Object.keys(a) as (keyof SyncRow)[]) {
    if (key === 'progress') continue;
    if (a[key] !== b[key]) return false;
  }
  const [p, q] = [a.progress, b.progress];
  return p === q || (p !== null && q !== null && p.current === q.current && p.max === q.max && p.text === q.text);
}
