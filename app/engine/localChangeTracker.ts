/**
 * Records a replica's local changes in its metadata store. A replica reports what it holds now (by item name,
 * with a hash per change unit); the tracker compares that with the stored metadata and stamps a new local
 * version on every created, changed or deleted item, then commits them with the new tick in one transaction.
 */
import type { ItemRecord, UnitRecord } from './changeBatch.ts';
import type { ChangeUnitId, ItemId } from './ids.ts';
import type { MetadataStore } from '../store/metadata/metadataStore.ts';

/** Collects local changes; see the module comment. */
export class LocalChangeTracker {
  private readonly store: MetadataStore;
  private readonly newItemId: () => ItemId;
  private readonly records = new Map<ItemId, ItemRecord>();
  private readonly seen = new Set<string>();
  private readonly pendingByName = new Map<string, ItemRecord>();
  private liveByName: Map<string, ItemRecord> | null = null;
  /** Live items by name from `prefetchNames` (null: no live item has that name). */
  private known: Map<string, ItemRecord | null> | null = null;
  private tick: number;

  constructor(store: MetadataStore, newItemId: () => ItemId) {
    this.store = store;
    this.newItemId = newItemId;
    this.tick = store.tickCount();
  }

  /** Loads every live item up front, for replicas that report their whole content (then call `deleteUnseen`). */
  beginFullScan(): void {
    this.liveByName = new Map(this.store.liveItems().map((record) => [record.name, record]));
  }

  /**
   * Loads the live items called `names` in one statement, for replicas that know which names changed; `observe`
   * and `observeDeleted` of those names then take no statement each.
   */
  prefetchNames(names: Iterable<string>): void {
    const list = [...names];
    const found = this.store.findLiveItemsByNames(list);
    this.known ??= new Map();
    for (const name of list) this.known.set(name, found.get(name) ?? null);
  }

  /** Reports that a live item called `name` holds units with these hashes. Returns its item id. */
  observe(name: string, hashes: ReadonlyMap<ChangeUnitId, string>): ItemId {
    this.seen.add(name);
    const stored = this.liveItem(name);
    if (!stored) return this.created(name, hashes);
    const units = new Map(stored.units.map((unit) => [unit.unitId, unit]));
    let changed = false;
    const version = { key: 0, tick: this.tick + 1 };
    for (const [unitId, hash] of hashes) {
      if (units.get(unitId)?.hash === hash) continue;
      units.set(unitId, { unitId, version, hash });
      changed = true;
    }
    for (const unit of stored.units) {
      if (unit.hash === null || hashes.has(unit.unitId)) continue;
      units.set(unit.unitId, { unitId: unit.unitId, version, hash: null });
      changed = true;
    }
    if (changed) this.save({ ...stored, units: [...units.values()] });
    return stored.itemId;
  }

  /** Reports that the live item called `name` no longer exists. */
  observeDeleted(name: string): void {
    const stored = this.liveItem(name);
    if (stored) this.save({ ...stored, deleted: true, version: { key: 0, tick: this.tick + 1 } });
  }

  /** After a full scan: every live item that was not observed has been deleted. */
  deleteUnseen(): void {
    for (const name of this.liveByName?.keys() ?? []) if (!this.seen.has(name)) this.observeDeleted(name);
  }

  /** Commits the changes; returns how many items changed. */
  commit(): number {
    if (this.records.size === 0) return 0;
    const knowledge = this.store.knowledge().withTick(0, this.tick);
    this.store.commit({ records: [...this.records.values()], knowledge, tickCount: this.tick });
    return this.records.size;
  }

  private created(name: string, hashes: ReadonlyMap<ChangeUnitId, string>): ItemId {
    const version = { key: 0, tick: this.tick + 1 };
    const units: UnitRecord[] = [...hashes].map(([unitId, hash]) => ({ unitId, version, hash }));
    const itemId = this.newItemId();
    this.save({ itemId, name, created: version, version, deleted: false, units });
    return itemId;
  }

  private liveItem(name: string): ItemRecord | undefined {
    const pending = this.pendingByName.get(name);
    if (pending) return pending.deleted ? undefined : pending;
    if (this.liveByName) return this.liveByName.get(name);
    const known = this.known?.get(name);
    return known === undefined ? this.store.findLiveItemByName(name) : (known ?? undefined);
  }

  private save(record: ItemRecord): void {
    this.tick++;
    this.records.set(record.itemId, record);
    this.pendingByName.set(record.name, record);
  }
}
