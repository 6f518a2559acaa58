/**
 * Records a folder's local changes in its metadata store: like the engine's `LocalChangeTracker` (observe by
 * name with unit hashes, stamp a new local version on what changed, commit with the new tick in one
 * transaction), plus renames, so a file keeps its item id when it is renamed or moved and the other side
 * renames it too instead of deleting and copying it.
 *
 * TODO(app/engine): drop this class once `LocalChangeTracker` offers `observeRenamed`.
 */
import type { ChangeUnitId, ItemId, ItemRecord, MetadataStore, UnitRecord, Version } from '../../engine/index.ts';

/** Collects local changes of one detection; see the module comment. */
export class FolderChangeRecorder {
  readonly #store: MetadataStore;
  readonly #newItemId: () => ItemId;
  readonly #records = new Map<ItemId, ItemRecord>();
  readonly #pendingByName = new Map<string, ItemRecord | null>();
  #tick: number;

  constructor(store: MetadataStore, newItemId: () => ItemId) {
    this.#store = store;
    this.#newItemId = newItemId;
    this.#tick = store.tickCount();
  }

  /** The live item called `name`, as this detection has left it so far. */
  liveItem(name: string): ItemRecord | undefined {
    const pending = this.#pendingByName.get(name);
    if (pending !== undefined) return pending === null || pending.deleted ? undefined : pending;
    return this.#store.findLiveItemByName(name);
  }

  /** A live item called `name` holds units with these hashes (created when unknown). Returns its id. */
  observe(name: string, hashes: ReadonlyMap<ChangeUnitId, string>): ItemId {
    const stored = this.liveItem(name);
    if (stored === undefined) return this.#create(name, hashes);
    const units = this.#changedUnits(stored, hashes);
    if (units !== undefined) this.#save({ ...stored, units });
    return stored.itemId;
  }

  /** The live item called `name` was deleted. */
  observeDeleted(name: string): void {
    const stored = this.liveItem(name);
    if (stored !== undefined) this.#save({ ...stored, deleted: true, version: this.#nextVersion() });
  }

  /**
   * Items were renamed (`from` → `to` names) and now hold units with these hashes. All sources are looked up
   * before any is renamed, so chains and swaps (a → b, b → c) resolve to the right items.
   */
  observeRenamed(renames: readonly { from: string; to: string; hashes: ReadonlyMap<ChangeUnitId, string> }[]): void {
    const resolved = renames.map((rename) => ({ ...rename, item: this.liveItem(rename.from) }));
    for (const { from, item } of resolved) if (item !== undefined && this.#pendingByName.get(from) === undefined) this.#pendingByName.set(from, null);
    for (const { to, hashes, item } of resolved) {
      if (item === undefined) {
        this.observe(to, hashes);
        continue;
      }
      const units = this.#changedUnits(item, hashes) ?? item.units;
      this.#save({ ...item, name: to, version: this.#nextVersion(), units });
    }
  }

  /** Commits the changes in one transaction; returns how many items changed. */
  commit(): number {
    if (this.#records.size === 0) return 0;
    const knowledge = this.#store.knowledge().withTick(0, this.#tick);
    this.#store.commit({ records: [...this.#records.values()], knowledge, tickCount: this.#tick });
    const count = this.#records.size;
    this.#records.clear();
    return count;
  }

  /** The item's units with new versions where hashes changed (removed units get a null hash), or undefined. */
  #changedUnits(stored: ItemRecord, hashes: ReadonlyMap<ChangeUnitId, string>): UnitRecord[] | undefined {
    const units = new Map(stored.units.map((unit) => [unit.unitId, unit]));
    let version: Version | undefined;
    const stamp = () => (version ??= this.#nextVersion());
    for (const [unitId, hash] of hashes) {
      if (units.get(unitId)?.hash !== hash) units.set(unitId, { unitId, version: stamp(), hash });
    }
    for (const unit of stored.units) {
      if (unit.hash !== null && !hashes.has(unit.unitId)) units.set(unit.unitId, { unitId: unit.unitId, version: stamp(), hash: null });
    }
    return version === undefined ? undefined : [...units.values()];
  }

  #create(name: string, hashes: ReadonlyMap<ChangeUnitId, string>): ItemId {
    const version = this.#nextVersion();
    const units: UnitRecord[] = [...hashes].map(([unitId, hash]) => ({ unitId, version, hash }));
    const itemId = this.#newItemId();
    this.#save({ itemId, name, created: version, version, deleted: false, units });
    return itemId;
  }

  #nextVersion(): Version {
    this.#tick += 1;
    return { key: 0, tick: this.#tick };
  }

  #save(record: ItemRecord): void {
    this.#records.set(record.itemId, record);
    this.#pendingByName.set(record.name, record);
  }
}
