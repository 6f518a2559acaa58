/**
 * Per-item write failures. A replica may fail to write some items of a batch (permission denied, a full disk, a
 * file changed meanwhile) while the rest succeeds. The change applier notes which incoming change produced each
 * record, removal and write of a batch (its *decision*), so that a failed item can be taken back like a skipped
 * conflict: every decision that touched it is withdrawn (its records are not committed, nothing is recorded as
 * synced for it) and every item of those decisions is excluded from the learned knowledge, so the next session
 * sends those changes again. The rest of the batch commits.
 *
 * A decision can touch several items (a collision renames the local holder, a merge deletes one of two items),
 * and a later decision of the same batch can build on an item an earlier one changed; withdrawing is therefore
 * closed over shared items. A later decision can also build on a *name* an earlier one freed (an item renamed
 * away, deleted, and another item given its name): withdrawing the first leaves its item holding that name, so the
 * second is withdrawn too, or two live items would hold one name in the metadata.
 */
import type { ItemRecord } from './changeBatch.ts';
import type { ItemId } from './ids.ts';
import type { SyncStatistics } from './provider.ts';

/** An item a replica could not write; its change is retried by the next session. */
export interface WriteFailure {
  readonly itemId: ItemId;
  /** Why, as the replica reported it (a typed error with a code and a message, ideally). */
  readonly error: unknown;
}

/** How a saved record was counted in the statistics. */
export type RecordOutcome = 'created' | 'updated' | 'moved' | 'deleted' | 'unchanged';

/** The name keys a saved record freed (its item's live name before it) and took (its live name after it). */
export interface RecordNames {
  readonly freed?: string;
  readonly taken?: string;
}

/** The parts of a batch outcome a withdrawal edits in place. */
export interface WithdrawableBatch<TWrite extends { readonly itemId: ItemId }> {
  readonly records: ItemRecord[];
  readonly removals: ItemId[];
  readonly writes: TWrite[];
  readonly excluded: ItemId[];
}

/** What a withdrawal took back. */
export interface Withdrawal<TWrite> {
  /** Incoming changes withdrawn (counted in `statistics.failed`). */
  readonly changes: number;
  /** Items excluded from the learned knowledge. */
  readonly items: readonly ItemId[];
  /** Writes of the withdrawn decisions (performed or not): the replica must not take them as synced. */
  readonly writes: readonly TWrite[];
}

/** Which decision produced each record, removal and write of one batch; see the module comment. */
export class DecisionLog {
  #current: ItemId = '';
  readonly #records: { readonly change: ItemId; readonly outcome: RecordOutcome; readonly names: RecordNames }[] = [];
  readonly #removals: ItemId[] = [];
  readonly #writes: ItemId[] = [];

  /** The decisions that follow belong to the incoming change of `itemId`. */
  begin(itemId: ItemId): void {
    this.#current = itemId;
  }

  /**
   * A record was appended to the batch's records; `names` are the name keys it freed (the item's live name before)
   * and took (its live name after).
   */
  noteRecord(outcome: RecordOutcome, names: RecordNames = {}): void {
    this.#records.push({ change: this.#current, outcome, names });
  }

  /** Counts the record at `index` (of the batch's records) as `outcome` from now on, also if it is withdrawn. */
  relabel(index: number, outcome: RecordOutcome): void {
    const record = this.#records[index];
    if (record !== undefined) this.#records[index] = { ...record, outcome };
  }

  /** A removal was appended to the batch's removals. */
  noteRemoval(): void {
    this.#removals.push(this.#current);
  }

  /** A write was appended to the batch's writes. */
  noteWrite(): void {
    this.#writes.push(this.#current);
  }

  /**
   * Withdraws every decision that touched a failed item (closed over shared items): drops their records and
   * removals from `batch`, excludes their items from the learned knowledge and corrects the statistics.
   */
  withdraw<TWrite extends { readonly itemId: ItemId }>(batch: WithdrawableBatch<TWrite>, failed: Iterable<ItemId>, statistics: SyncStatistics): Withdrawal<TWrite> {
    const itemsOf = this.#itemsByDecision(batch);
    const withdrawn = this.#closeOverNames(itemsOf, closeOver(itemsOf, failed));
    const items = new Set<ItemId>(failed);
    for (const change of withdrawn) for (const itemId of itemsOf.get(change) ?? []) items.add(itemId);
    this.#dropRecords(batch, withdrawn, statistics);
    const keptRemovals = batch.removals.filter((_, index) => !withdrawn.has(this.#removals[index] ?? ''));
    const removed = batch.removals.length - keptRemovals.length;
    replaceContent(batch.removals, keptRemovals);
    statistics.deleted -= removed;
    statistics.applied -= removed;
    statistics.failed += withdrawn.size;
    const already = new Set(batch.excluded);
    for (const itemId of items) if (!already.has(itemId)) batch.excluded.push(itemId);
    return { changes: withdrawn.size, items: [...items], writes: batch.writes.filter((_, index) => withdrawn.has(this.#writes[index] ?? '')) };
  }

  /** The items each decision touched: the incoming change's item and every item it recorded, removed or wrote. */
  #itemsByDecision(batch: WithdrawableBatch<{ readonly itemId: ItemId }>): Map<ItemId, Set<ItemId>> {
    const itemsOf = new Map<ItemId, Set<ItemId>>();
    const add = (change: ItemId | undefined, itemId: ItemId | undefined) => {
      if (change === undefined || itemId === undefined) return;
      const set = itemsOf.get(change) ?? new Set<ItemId>([change]);
      set.add(itemId);
      itemsOf.set(change, set);
    };
    batch.records.forEach((record, index) => add(this.#records[index]?.change, record.itemId));
    batch.removals.forEach((itemId, index) => add(this.#removals[index], itemId));
    batch.writes.forEach((write, index) => add(this.#writes[index], write.itemId));
    return itemsOf;
  }

  /**
   * Adds the decisions that took a name a withdrawn decision freed (and whatever shares an item with those), until
   * no withdrawn decision freed a name another decision still takes.
   */
  #closeOverNames(itemsOf: ReadonlyMap<ItemId, ReadonlySet<ItemId>>, withdrawn: Set<ItemId>): Set<ItemId> {
    const takers = new Map<string, ItemId[]>();
    for (const { change, names } of this.#records) {
      if (names.taken === undefined || names.taken === names.freed) continue;
      const list = takers.get(names.taken);
      if (list === undefined) takers.set(names.taken, [change]);
      else list.push(change);
    }
    if (takers.size === 0) return withdrawn;
    for (let grown = true; grown; ) {
      grown = false;
      const dependents: ItemId[] = [];
      for (const { change, names } of this.#records) {
        if (!withdrawn.has(change) || names.freed === undefined || names.freed === names.taken) continue;
        for (const taker of takers.get(names.freed) ?? []) if (!withdrawn.has(taker)) dependents.push(...(itemsOf.get(taker) ?? [taker]));
      }
      if (dependents.length === 0) break;
      for (const change of closeOver(itemsOf, dependents)) {
        if (withdrawn.has(change)) continue;
        withdrawn.add(change);
        grown = true;
      }
    }
    return withdrawn;
  }

  #dropRecords(batch: WithdrawableBatch<{ readonly itemId: ItemId }>, withdrawn: ReadonlySet<ItemId>, statistics: SyncStatistics): void {
    const kept: ItemRecord[] = [];
    batch.records.forEach((record, index) => {
      const decision = this.#records[index];
      if (decision === undefined || !withdrawn.has(decision.change)) {
        kept.push(record);
        return;
      }
      statistics[decision.outcome]--;
      if (decision.outcome !== 'unchanged') statistics.applied--;
    });
    replaceContent(batch.records, kept);
  }
}

/** The decisions touching any of `failed`, and, repeatedly, any decision sharing an item with one of those. */
function closeOver(itemsOf: ReadonlyMap<ItemId, ReadonlySet<ItemId>>, failed: Iterable<ItemId>): Set<ItemId> {
  const decisionsOf = new Map<ItemId, ItemId[]>();
  for (const [change, items] of itemsOf) {
    for (const itemId of items) {
      const list = decisionsOf.get(itemId);
      if (list === undefined) decisionsOf.set(itemId, [change]);
      else list.push(change);
    }
  }
  const withdrawn = new Set<ItemId>();
  const queue = [...failed];
  const seen = new Set(queue);
  for (let itemId = queue.pop(); itemId !== undefined; itemId = queue.pop()) {
    for (const change of decisionsOf.get(itemId) ?? []) {
      if (withdrawn.has(change)) continue;
      withdrawn.add(change);
      for (const other of itemsOf.get(change) ?? []) {
        if (seen.has(other)) continue;
        seen.add(other);
        queue.push(other);
      }
    }
  }
  return withdrawn;
}

/** Replaces an array's content in place (no spread: a batch can hold more items than a call takes arguments). */
function replaceContent<T>(array: T[], content: readonly T[]): void {
  array.length = 0;
  for (const value of content) array.push(value);
}
