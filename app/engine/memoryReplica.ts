/**
 * A replica whose data lives in memory (items by name, each a map of string units), synced through a real
 * metadata store. Used by engine tests and the benchmark, and a compact example of a `ReplicaAdapter`: it
 * tracks which names changed so detection costs O(changes).
 */
import { createHash } from 'node:crypto';
import type { ItemRecord } from './changeBatch.ts';
import type { ReplicaWrite } from './changeApplier.ts';
import type { WriteFailure } from './decisionLog.ts';
import type { ChangeUnitId } from './ids.ts';
import type { LocalChangeTracker } from './localChangeTracker.ts';
import type { ReplicaAdapter } from './metadataSyncProvider.ts';

/** In-memory replica data; see the module comment. */
export class MemoryReplica implements ReplicaAdapter<string> {
  readonly items = new Map<string, Map<ChangeUnitId, string>>();
  /**
   * Names this replica refuses to write, with the error to report (a test seam for per-item write failures, as
   * a read-only file or a full disk would cause): a write to or from such a name fails and changes nothing.
   */
  readonly refused = new Map<string, Error>();
  private readonly dirty = new Set<string>();

  /** Sets units of an item (creating it); other units stay. */
  set(name: string, units: Readonly<Record<string, string>>): void {
    const item = this.items.get(name) ?? new Map<ChangeUnitId, string>();
    for (const [unitId, value] of Object.entries(units)) item.set(unitId, value);
    this.items.set(name, item);
    this.dirty.add(name);
  }

  /** Deletes an item. */
  delete(name: string): void {
    if (this.items.delete(name)) this.dirty.add(name);
  }

  /** Items as a plain, sorted value for comparisons. */
  snapshot(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const name of [...this.items.keys()].sort()) out[name] = Object.fromEntries([...(this.items.get(name) ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)));
    return out;
  }

  async detectChanges(tracker: LocalChangeTracker): Promise<void> {
    tracker.prefetchNames(this.dirty);
    for (const name of this.dirty) {
      const item = this.items.get(name);
      if (item) tracker.observe(name, new Map([...item].map(([unitId, value]) => [unitId, this.hashUnit(value)])));
      else tracker.observeDeleted(name);
    }
    this.dirty.clear();
  }

  async loadUnits(record: ItemRecord, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, string>> {
    const item = this.items.get(record.name);
    const out = new Map<ChangeUnitId, string>();
    for (const unitId of unitIds) {
      const value = item?.get(unitId);
      if (value !== undefined) out.set(unitId, value);
    }
    return out;
  }

  async applyWrites(writes: readonly ReplicaWrite<string>[]): Promise<WriteFailure[]> {
    const failures: WriteFailure[] = [];
    for (const write of writes) {
      const error = this.refusal(write);
      if (error !== undefined) {
        failures.push({ itemId: write.itemId, error });
        continue;
      }
      if (write.kind === 'delete') {
        this.items.delete(write.name);
        continue;
      }
      const previous = write.previousName === null ? undefined : this.items.get(write.previousName);
      if (write.previousName !== null) this.items.delete(write.previousName);
      const item = write.replaceAll || !previous ? new Map<ChangeUnitId, string>() : previous;
      for (const [unitId, value] of write.units) {
        if (value === null) item.delete(unitId);
        else item.set(unitId, value);
      }
      this.items.set(write.name, item);
    }
    return failures;
  }

  /**
   * Why `write` cannot be performed: a refused name, or a new item whose name another item still holds (after
   * an earlier write of the batch failed; a file system would likewise refuse to overwrite what was not planned).
   */
  private refusal(write: ReplicaWrite<string>): Error | undefined {
    const refused = this.refused.get(write.name) ?? (write.previousName === null ? undefined : this.refused.get(write.previousName));
    if (refused !== undefined) return refused;
    if (write.kind === 'upsert' && write.previousName !== write.name && this.items.has(write.name)) return new Error(`"${write.name}" is held by another item`);
    return undefined;
  }

  /** Withdrawn writes may have been performed: their names are compared with the metadata at the next detection. */
  writesWithdrawn(writes: readonly ReplicaWrite<string>[]): void {
    for (const write of writes) {
      this.dirty.add(write.name);
      if (write.previousName !== null) this.dirty.add(write.previousName);
    }
  }

  hashUnit(value: string): string {
    return createHash('sha1').update(value).digest('base64url').slice(0, 16);
  }

  uniqueName(name: string, isTaken: (candidate: string) => boolean): string {
    for (let n = 2; ; n++) if (!isTaken(`${name} (${n})`)) return `${name} (${n})`;
  }
}
