/**
 * Records a replica's local changes in its metadata store. A replica reports what it holds now (by item name,
 * with a hash per change unit); the tracker compares that with the stored metadata and stamps a new local
 * version on every created, changed, renamed or deleted item, then commits them with the new tick in one
 * transaction. A replica that can tell renames (a folder: same inode or content under a new path) reports them
 * with `observeRenamed`, so the item keeps its id and other replicas rename it instead of deleting and copying.
 */
import type { ItemRecord, UnitRecord } from './changeBatch.ts';
import type { ChangeUnitId, ItemId } from './ids.ts';
import type { Version } from './version.ts';

/** An item now called `to` that was called `from`, with the hashes of the units it holds now. */
export interface ObservedRename {
  readonly from: string;
  readonly to: string;
  readonly hashes: ReadonlyMap<ChangeUnitId, string>;
}
import type { MetadataStore } from '../store/metadata/metadataStore.ts';

/** Collects local changes; see the module comment. */
export class LocalChangeTracker {
  private readonly store: MetadataStore;
  private readonly newItemId: () => ItemId;
  private readonly records = new Map<ItemId, ItemRecord>();
  private readonly seen = new Set<string>();
  /** This detection's items by name; null: the name was freed by a rename. */
  private readonly pendingByName = new Map<string, ItemRecord | null>();
  private liveByName: Map<string, ItemRecord> | null = null;
  /** Live items by name from `prefetchNames` (null: no live item has that name). */
  private known: Map<string, ItemRecord | null> | null = null;
  /** Units this replica cannot hold (`ignoreUnits`): kept as recorded, never changed or removed by observations. */
  private ignored: ReadonlySet<ChangeUnitId> = new Set();
  private tick: number;

  constructor(store: MetadataStore, newItemId: () => ItemId) {
    this.store = store;
    this.newItemId = newItemId;
    this.tick = store.tickCount();
  }

  /**
   * Declares units this replica cannot hold (Unix modes on a FAT drive): its observations never report them, and
   * the versions other replicas gave them are kept, so a value the replica cannot store never spreads.
   */
  ignoreUnits(unitIds: Iterable<ChangeUnitId>): void {
    this.ignored = new Set(unitIds);
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
    const units = changedUnits(stored, hashes, { key: 0, tick: this.tick + 1 }, this.ignored);
    if (units) this.save({ ...stored, units });
    return stored.itemId;
  }

  /**
   * Reports items renamed (or moved) from `from` to `to`: each keeps its item id and gets a new version (and new
   * unit versions where hashes changed). Every source is looked up before any is renamed, so chains and swaps
   * (a → b, b → c) resolve to the right items. A source this replica has no live item for is observed as new.
   */
  observeRenamed(renames: readonly ObservedRename[]): void {
    const resolved = renames.map((rename) => ({ ...rename, item: this.liveItem(rename.from) }));
    for (const { from, item } of resolved) if (item && !this.pendingByName.has(from)) this.pendingByName.set(from, null);
    for (const { to, hashes, item } of resolved) {
      if (!item) {
        this.observe(to, hashes);
        continue;
      }
      this.seen.add(to);
      const version = { key: 0, tick: this.tick + 1 };
      this.save({ ...item, name: to, version, units: changedUnits(item, hashes, version, this.ignored) ?? item.units });
    }
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
    const units: UnitRecord[] = [...hashes].filter(([unitId]) => !this.ignored.has(unitId)).map(([unitId, hash]) => ({ unitId, version, hash }));
    const itemId = this.newItemId();
    this.save({ itemId, name, created: version, version, deleted: false, units });
    return itemId;
  }

  private liveItem(name: string): ItemRecord | undefined {
    const pending = this.pendingByName.get(name);
    if (pending !== undefined) return pending === null || pending.deleted ? undefined : pending;
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

/**
 * `stored`'s units with `version` on each whose hash changed (null hash: removed), or undefined when none did.
 * `ignored` units are left as stored.
 */
function changedUnits(stored: ItemRecord, hashes: ReadonlyMap<ChangeUnitId, string>, version: Version, ignored: ReadonlySet<ChangeUnitId>): UnitRecord[] | undefined {
  const units = new Map(stored.units.map((unit) => [unit.unitId, unit]));
  let changed = false;
  for (const [unitId, hash] of hashes) {
    if (units.get(unitId)?.hash === hash || ignored.has(unitId)) continue;
    units.set(unitId, { unitId, version, hash });
    changed = true;
  }
  for (const unit of stored.units) {
    if (unit.hash === null || hashes.has(unit.unitId) || ignored.has(unit.unitId)) continue;
    units.set(unit.unitId, { unitId: unit.unitId, version, hash: null });
    changed = true;
  }
  return changed ? [...units.values()] : undefined;
}
