/**
 * The order a batch's changes are applied in. Item-id order, except that a change whose name is held here by an
 * item that a later change of the same batch moves (a rename, a delete, the other half of a merge) waits for that
 * change: the name is then free when its turn comes. Applied in plain id order, the collision would be met with
 * an item that is about to leave, and resolved again on this side only (a merge undone, "keep both" renaming a
 * second time), so that the replicas drifted apart. A change only ever waits for a later one, so the order is
 * always complete; names swapped in a cycle still meet a collision, as before.
 */
import type { ItemRecord } from './changeBatch.ts';
import type { ItemId } from './ids.ts';

/** `changes` reordered as described; `holderOf` names the live local item holding a name (or a name of its key). */
export function orderForNames(changes: readonly ItemRecord[], holderOf: (name: string) => ItemId | undefined): readonly ItemRecord[] {
  const position = new Map(changes.map((change, index) => [change.itemId, index]));
  const waiting = new Map<number, number[]>();
  for (const [index, change] of changes.entries()) {
    if (change.deleted) continue;
    const holder = holderOf(change.name);
    const at = holder === undefined || holder === change.itemId ? undefined : position.get(holder);
    if (at === undefined || at < index) continue; // the holder's change comes first anyway
    const list = waiting.get(at);
    if (list === undefined) waiting.set(at, [index]);
    else list.push(index);
  }
  if (waiting.size === 0) return changes;
  const deferred = new Set([...waiting.values()].flat());
  const placed = new Set<number>();
  const out: ItemRecord[] = [];
  const place = (index: number): void => {
    if (placed.has(index)) return;
    placed.add(index);
    out.push(changes[index] as ItemRecord);
    for (const next of waiting.get(index) ?? []) place(next);
  };
  for (let index = 0; index < changes.length; index += 1) if (!deferred.has(index)) place(index);
  return out;
}
