import type { HandlerSummary } from '../../app/control/schemas.ts';

/**
 * Where each handler and item sits in the handler list, and the row keys of each list. Only `setHandlers`
 * changes the list's shape (progress events replace entries in place), so this is built once per full read and
 * shared by every progress update after it: a row finds its entry in O(1) instead of scanning 10,000 items, and
 * the lists of keys keep their identity, so the grid does not re-render while progress streams in.
 */
export interface HandlerIndex {
  /** Position of each handler in `handlers`. */
  readonly handlerPositions: ReadonlyMap<string, number>;
  /** Position of each item in its handler's `items`, per handler id. */
  readonly itemPositions: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Row keys of the partnerships list (handler ids), in order. */
  readonly handlerKeys: readonly string[];
  /** Row keys of each handler's items (`handlerId/itemId`), in order. */
  readonly itemKeys: ReadonlyMap<string, readonly string[]>;
}

/** The key of an item row. Ids cannot contain "/", so the key splits back unambiguously. */
export function itemKey(handlerId: string, itemId: string): string {
  return `${handlerId}/${itemId}`;
}

/** Splits a row key back into its handler and item ids (item null for a handler row). */
export function parseRowKey(key: string): { readonly handlerId: string; readonly itemId: string | null } {
  const slash = key.indexOf('/');
  return slash === -1 ? { handlerId: key, itemId: null } : { handlerId: key.slice(0, slash), itemId: key.slice(slash + 1) };
}

/** Builds the index of a freshly read handler list. */
export function buildHandlerIndex(handlers: readonly HandlerSummary[]): HandlerIndex {
  const handlerPositions = new Map<string, number>();
  const itemPositions = new Map<string, Map<string, number>>();
  const itemKeys = new Map<string, string[]>();
  handlers.forEach((handler, handlerPosition) => {
    handlerPositions.set(handler.id, handlerPosition);
    const positions = new Map<string, number>();
    const keys: string[] = [];
    handler.items.forEach((item, itemPosition) => {
      positions.set(item.id, itemPosition);
      keys.push(itemKey(handler.id, item.id));
    });
    itemPositions.set(handler.id, positions);
    itemKeys.set(handler.id, keys);
  });
  return { handlerPositions, itemPositions, handlerKeys: handlers.map((handler) => handler.id), itemKeys };
}

/** An empty index, before the first read. */
export const emptyHandlerIndex: HandlerIndex = buildHandlerIndex([]);
