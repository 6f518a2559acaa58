/**
 * The change applier (the seed's `ISynchronousNotifyingChangeApplier`): for each incoming change it compares
 * the destination's version and knowledge with the source's and picks the save action, detects update-update,
 * update-delete, delete-update conflicts and name collisions, and resolves them by policy. It plans; the caller
 * writes the data (`writes`), withdraws the decisions of items the replica failed to write (`withdraw`), and
 * then commits `records` with the learned knowledge in one transaction.
 *
 * A resolved conflict is never raised again: the destination learns the losing version through the batch's
 * knowledge, so its winner supersedes the loser wherever it travels (see `conflictResolution.ts`).
 */
import { recordVersions, sameLiveUnits, type ItemRecord, type UnitRecord } from './changeBatch.ts';
import { DecisionLog, type RecordOutcome, type Withdrawal } from './decisionLog.ts';
import { UnsupportedResolutionError } from './errors.ts';
import { orderForNames } from './nameOrder.ts';
import type { ChangeUnitId, ItemId } from './ids.ts';
import type { Knowledge } from './knowledge.ts';
import type { CollisionAction, Conflict, ConflictAction, ConflictKind, ConflictReport, DataRetriever, SessionPolicy, SyncCallbacks, SyncStatistics, UnitRequest } from './provider.ts';
import { resolveCollision, resolveDeleteConflict, resolveUpdateConflict } from './conflictResolution.ts';
import { conflictOrder, toGlobal, type GlobalVersion, type Version } from './version.ts';

/** A data change for the replica to perform. `units` maps a unit to its new value, null to remove it. */
export interface ReplicaWrite<TUnit> {
  readonly kind: 'upsert' | 'delete';
  readonly itemId: ItemId;
  /** The item's name after the write (for a delete: the name it had). */
  readonly name: string;
  /** The name the item had locally before, null when it did not exist (or was a tombstone). */
  readonly previousName: string | null;
  readonly units: ReadonlyMap<ChangeUnitId, TUnit | null>;
  /** True when `units` is the item's whole content (create, recreate); otherwise other units stay as they are. */
  readonly replaceAll: boolean;
}

/** What the destination replica provides to the applier. */
export interface ApplierTarget<TUnit> {
  getItem(itemId: ItemId): ItemRecord | undefined;
  /** The live item holding `name`, or a name with the same `nameKey`. */
  findLiveItemByName(name: string): ItemRecord | undefined;
  /**
   * The key under which two names are one place in this replica (default: the name itself), e.g. case-folded on
   * a case-insensitive file system: a different item arriving under a held key is a name collision.
   */
  nameKey?(name: string): string;
  /** Values of the destination's units (for conflicts and merges). */
  loadLocalUnits(itemId: ItemId, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, TUnit>>;
  hashUnit(value: TUnit): string;
  /** A name derived from `name` for which `isTaken` is false (renaming on collisions). */
  uniqueName(name: string, isTaken: (candidate: string) => boolean): string;
  /** Merges two values of a unit (policy `merge`); without it `merge` is refused. */
  mergeUnit?(unitId: ChangeUnitId, local: TUnit | undefined, remote: TUnit | undefined): TUnit;
  /** Allocates the next local tick. */
  nextTick(): number;
}

/** Everything the applier decided for one batch. */
export interface AppliedBatch<TUnit> {
  readonly records: ItemRecord[];
  readonly removals: ItemId[];
  readonly writes: ReplicaWrite<TUnit>[];
  /** Items whose changes were not applied (skipped, saved for later): excluded from the learned knowledge. */
  readonly excluded: ItemId[];
  readonly reports: ConflictReport<TUnit>[];
}

/** Inputs of one batch application; versions and knowledge use the destination's (extended) key map. */
export interface ApplierInput<TUnit> {
  readonly destination: Knowledge;
  readonly source: Knowledge;
  /** The source's knowledge as sent, for `Conflict.remoteItemKnowledge`. */
  readonly sourceAsSent: Knowledge;
  readonly policy: SessionPolicy;
  readonly callbacks: SyncCallbacks<TUnit>;
  readonly retriever: DataRetriever<TUnit>;
  readonly target: ApplierTarget<TUnit>;
  readonly statistics: SyncStatistics;
}

/** Plans one batch; see the module comment. Create one per batch. */
export class ChangeApplier<TUnit> {
  readonly input: ApplierInput<TUnit>;
  readonly out: AppliedBatch<TUnit> = { records: [], removals: [], writes: [], excluded: [], reports: [] };
  private readonly pending = new Map<ItemId, ItemRecord>();
  /** This batch's decisions by name key: the item now holding it, null when freed. */
  private readonly names = new Map<string, ItemId | null>();
  /** Live local items this batch deleted, by name key: their units, and where their record is in `out.records`. */
  private readonly deletedHere = new Map<string, { readonly item: ItemRecord; readonly index: number }>();
  /** Which incoming change produced each record, removal and write (to withdraw failed items). */
  private readonly decisions = new DecisionLog();
  /** Source values loaded up front by `prefetch`, with the units asked for (absent from `values`: removed). */
  private readonly loaded = new Map<ItemId, { readonly unitIds: readonly ChangeUnitId[]; readonly values: ReadonlyMap<ChangeUnitId, TUnit> }>();

  constructor(input: ApplierInput<TUnit>) {
    this.input = input;
  }

  /**
   * Decides and records the outcome of each change (translated to local keys), in id order except where a name
   * must first be freed by a later change (`nameOrder.ts`). The source values the common
   * cases need are loaded first, in one call when the retriever can; a change then takes no asynchronous step
   * unless it needs one (a conflict, a callback, a value that was not loaded).
   */
  async applyAll(changes: readonly ItemRecord[]): Promise<AppliedBatch<TUnit>> {
    await this.prefetch(changes);
    for (const change of orderForNames(changes, (name) => this.input.target.findLiveItemByName(name)?.itemId)) {
      const pending = this.apply(change);
      if (pending) await pending;
    }
    return this.out;
  }

  /** Removes local items of a fully enumerated range that the source forgot it deleted. */
  forgetMissing(localIds: readonly ItemId[], sentIds: ReadonlySet<ItemId>): void {
    for (const itemId of localIds) {
      if (sentIds.has(itemId)) continue;
      const local = this.local(itemId);
      if (!local || !recordVersions(local).every((version) => this.knownBySource(itemId, version))) continue;
      this.decisions.begin(itemId);
      this.out.removals.push(itemId);
      this.decisions.noteRemoval();
      if (!local.deleted) this.write({ kind: 'delete', itemId, name: local.name, previousName: local.name, units: new Map(), replaceAll: true });
      this.input.statistics.deleted++;
      this.input.statistics.applied++;
    }
  }

  /**
   * Takes back the decisions that touched items the replica failed to write (see `decisionLog.ts`): their
   * records and removals are not committed and their items are excluded from the learned knowledge, so the next
   * session sends them again. Call after the writes, before committing.
   */
  withdraw(failed: Iterable<ItemId>): Withdrawal<ReplicaWrite<TUnit>> {
    return this.decisions.withdraw(this.out, failed, this.input.statistics);
  }

  /**
   * Loads the source values of what each change will most likely take from the source: every live unit of an
   * item the destination lacks (or holds as a tombstone), the live units it does not know of any other item.
   */
  private async prefetch(changes: readonly ItemRecord[]): Promise<void> {
    const retriever = this.input.retriever;
    if (!retriever.loadUnitsOfItems) return;
    const requests: UnitRequest[] = [];
    for (const change of changes) {
      if (change.deleted || this.allKnownByDestination(change)) continue;
      const local = this.input.target.getItem(change.itemId);
      const whole = !local || local.deleted;
      const unitIds = change.units.filter((unit) => unit.hash !== null && (whole || !this.knownByDestination(change.itemId, unit.version))).map((unit) => unit.unitId);
      if (unitIds.length > 0) requests.push({ itemId: change.itemId, unitIds });
    }
    if (requests.length === 0) return;
    const values = await retriever.loadUnitsOfItems(requests);
    for (const { itemId, unitIds } of requests) this.loaded.set(itemId, { unitIds, values: values.get(itemId) ?? new Map() });
  }

  private apply(change: ItemRecord): Promise<void> | void {
    const stats = this.input.statistics;
    stats.received++;
    if (this.allKnownByDestination(change)) {
      stats.unchanged++;
      return;
    }
    const itemId = change.itemId;
    this.decisions.begin(itemId);
    const local = this.local(itemId);
    if (!local) return change.deleted ? this.save(change, 'unchanged') : this.create(change);
    if (change.deleted && local.deleted) return this.save({ ...local, version: this.laterOf(itemId, change.version, local.version) }, 'unchanged');
    if (change.deleted) return this.applyRemoteDelete(change, local);
    if (local.deleted) return this.applyRemoteUpdateOfTombstone(change, local);
    return this.applyUpdate(change, local);
  }

  private applyRemoteDelete(change: ItemRecord, local: ItemRecord): Promise<void> | void {
    const localChanged = recordVersions(local).some((version) => !this.knownBySource(local.itemId, version));
    if (localChanged) return resolveDeleteConflict(this, 'updateDelete', change, local);
    this.write({ kind: 'delete', itemId: local.itemId, name: local.name, previousName: local.name, units: new Map(), replaceAll: true });
    this.save({ ...change, name: local.name }, 'deleted');
  }

  private applyRemoteUpdateOfTombstone(change: ItemRecord, local: ItemRecord): Promise<void> | void {
    if (!this.knownBySource(local.itemId, local.version)) return resolveDeleteConflict(this, 'deleteUpdate', change, local);
    return this.create(change);
  }

  private applyUpdate(change: ItemRecord, local: ItemRecord): Promise<void> | void {
    const itemId = change.itemId;
    const units = new Map(local.units.map((unit) => [unit.unitId, unit]));
    const fromRemote: ChangeUnitId[] = [];
    const conflicting: ChangeUnitId[] = [];
    for (const unit of change.units) {
      const mine = units.get(unit.unitId);
      if (this.knownByDestination(itemId, unit.version)) continue;
      if (!mine || this.knownBySource(itemId, mine.version)) {
        units.set(unit.unitId, unit);
        fromRemote.push(unit.unitId);
      } else if (mine.hash === unit.hash) units.set(unit.unitId, { ...mine, version: this.laterOf(itemId, unit.version, mine.version) });
      else conflicting.push(unit.unitId);
    }
    let name = local.name;
    let version = local.version;
    let nameConflict = false;
    if (!this.knownByDestination(itemId, change.version)) {
      if (this.knownBySource(itemId, local.version)) ({ name, version } = change);
      else if (change.name === local.name) version = this.laterOf(itemId, change.version, local.version);
      else nameConflict = true;
    }
    const merged: ItemRecord = { ...local, name, version, units: [...units.values()] };
    if (conflicting.length > 0 || nameConflict) return resolveUpdateConflict(this, change, local, merged, fromRemote, conflicting, nameConflict);
    return this.commitUpdate(merged, local, fromRemote);
  }

  /** Saves an updated live item, checking a rename against the names in use. */
  commitUpdate(record: ItemRecord, local: ItemRecord, fromRemote: readonly ChangeUnitId[], extra?: ReadonlyMap<ChangeUnitId, TUnit | null>): Promise<void> | void {
    return then(this.remoteValues(record, fromRemote), (units) => {
      for (const [unitId, value] of extra ?? []) units.set(unitId, value);
      const holder = record.name === local.name ? undefined : this.liveHolder(record.name, record.itemId);
      return holder ? this.saveColliding(record, holder, local, units) : this.saveUpdate(record, local, units);
    });
  }

  /** Creates (or recreates) an item from a source record, checking its name against the names in use. */
  create(record: ItemRecord): Promise<void> | void {
    const live = record.units.filter((unit) => unit.hash !== null).map((unit) => unit.unitId);
    return then(this.remoteValues(record, live), (units) => {
      const final: ItemRecord = record.deleted ? { ...record, deleted: false } : record;
      const holder = this.liveHolder(record.name, record.itemId);
      return holder ? this.saveColliding(final, holder, null, units) : this.saveCreate(final, units);
    });
  }

  /** Resolves the collision of a created or renamed item with the live `holder` of its name, then saves it. */
  private async saveColliding(record: ItemRecord, holder: ItemRecord, local: ItemRecord | null, units: Map<ChangeUnitId, TUnit | null>): Promise<void> {
    const outcome = await resolveCollision(this, record, holder, local);
    if (!outcome) return;
    for (const [unitId, value] of outcome.extra) units.set(unitId, value);
    if (local) this.saveUpdate(outcome.record, local, units, outcome.counted);
    else this.saveCreate(outcome.record, units, outcome.counted);
  }

  private saveUpdate(final: ItemRecord, local: ItemRecord, units: ReadonlyMap<ChangeUnitId, TUnit | null>, counted: 'unchanged' | 'updated' = 'updated'): void {
    if (units.size > 0 || final.name !== local.name) this.write({ kind: 'upsert', itemId: final.itemId, name: final.name, previousName: local.name, units, replaceAll: false });
    this.save(final, counted);
  }

  private saveCreate(final: ItemRecord, units: ReadonlyMap<ChangeUnitId, TUnit | null>, counted: 'created' | 'unchanged' | 'updated' = 'created'): void {
    this.write({ kind: 'upsert', itemId: final.itemId, name: final.name, previousName: null, units, replaceAll: true });
    this.save(final, counted);
  }

  /** Source values of `unitIds` (null for removed units), from what `prefetch` loaded when it covers them. */
  remoteValues(record: ItemRecord, unitIds: readonly ChangeUnitId[]): Map<ChangeUnitId, TUnit | null> | Promise<Map<ChangeUnitId, TUnit | null>> {
    const removed = record.units.some((unit) => unit.hash === null) ? new Set(record.units.filter((unit) => unit.hash === null).map((unit) => unit.unitId)) : null;
    const wanted = removed ? unitIds.filter((unitId) => !removed.has(unitId)) : unitIds;
    if (wanted.length === 0) return valuesFor(unitIds, new Map());
    const loaded = this.loaded.get(record.itemId);
    if (loaded && wanted.every((unitId) => loaded.unitIds.includes(unitId))) return valuesFor(unitIds, loaded.values);
    // Promise.resolve: `then` below tells a pending value by `instanceof Promise`, so never hand it a foreign thenable.
    return Promise.resolve(this.input.retriever.loadUnits(record.itemId, wanted)).then((values) => valuesFor(unitIds, values));
  }

  /** Builds the conflict value shown to callbacks and kept for later resolution. */
  async conflictOf(kind: ConflictKind, remote: ItemRecord, local: ItemRecord, conflictingUnits: readonly ChangeUnitId[]): Promise<Conflict<TUnit>> {
    const keyMap = this.input.destination.keyMap;
    const localVersion = toGlobal(latest(local, keyMap), keyMap);
    const remoteVersion = toGlobal(latest(remote, keyMap), keyMap);
    const liveUnits = (record: ItemRecord): ChangeUnitId[] => record.units.filter((unit) => unit.hash !== null).map((unit) => unit.unitId);
    const remoteUnits = remote.deleted ? null : await this.input.retriever.loadUnits(remote.itemId, liveUnits(remote));
    const localUnits = local.deleted ? null : await this.input.target.loadLocalUnits(local.itemId, liveUnits(local));
    return {
      kind,
      itemId: remote.itemId,
      localItemId: local.itemId,
      local: localUnits ? { itemId: local.itemId, name: local.name, units: localUnits } : null,
      remote: remoteUnits ? { itemId: remote.itemId, name: remote.name, units: remoteUnits } : null,
      localVersion,
      remoteVersion,
      conflictingUnits,
      newer: conflictOrder(remoteVersion, localVersion) > 0 ? 'remote' : 'local',
      remoteItemKnowledge: this.input.sourceAsSent.projectOntoItem(remote.itemId),
      sourceReplica: this.input.sourceAsSent.owner,
      destinationReplica: this.input.destination.owner,
    };
  }

  /** Asks the policy (or the application) what to do with a conflict, and reports the outcome. */
  async decide(conflict: Conflict<TUnit>): Promise<ConflictAction | CollisionAction> {
    const { policy, callbacks, statistics } = this.input;
    statistics.conflicts++;
    let action: ConflictAction | CollisionAction;
    if (conflict.kind === 'collision') action = policy.collisions === 'applicationDefined' ? ((await callbacks.onCollision?.(conflict)) ?? 'saveForLater') : policy.collisions;
    else action = policy.conflicts === 'applicationDefined' ? ((await callbacks.onConflict?.(conflict)) ?? 'saveForLater') : policy.conflicts;
    if (action === 'skip' || action === 'saveForLater') {
      statistics.unresolved++;
      this.out.excluded.push(conflict.itemId);
    }
    if (action === 'merge' && conflict.kind === 'updateUpdate' && !this.input.target.mergeUnit) {
      throw new UnsupportedResolutionError('This replica cannot merge the values of a conflicting item; choose source wins, destination wins or save for later.');
    }
    const report: ConflictReport<TUnit> = { conflict, action };
    this.out.reports.push(report);
    callbacks.onConflictReported?.(report);
    return action;
  }

  /** A new local version, superseding everything the destination knows. */
  newVersion(): Version {
    return { key: 0, tick: this.input.target.nextTick() };
  }

  /** The live local item other than `itemId` holding `name`, considering this batch's earlier decisions. */
  liveHolder(name: string, itemId: ItemId): ItemRecord | undefined {
    const key = this.nameKey(name);
    const pending = this.names.get(key);
    if (pending === null) return undefined;
    const holderId = pending ?? this.input.target.findLiveItemByName(name)?.itemId;
    if (holderId === undefined || holderId === itemId) return undefined;
    const holder = this.local(holderId);
    return holder && !holder.deleted && (holder.name === name || this.nameKey(holder.name) === key) ? holder : undefined;
  }

  /** The local record as this batch left it so far. */
  local(itemId: ItemId): ItemRecord | undefined {
    return this.pending.get(itemId) ?? this.input.target.getItem(itemId);
  }

  /**
   * Records an item's new metadata and counts it: an update that gives a live item a new name counts as moved,
   * whichever decision made it (an incoming rename, a collision renaming the item in the way).
   */
  save(record: ItemRecord, decided: Exclude<RecordOutcome, 'moved'>): void {
    const before = this.local(record.itemId);
    const outcome: RecordOutcome = decided === 'updated' && before !== undefined && !before.deleted && before.name !== record.name ? 'moved' : decided;
    const freed = before && !before.deleted ? this.nameKey(before.name) : undefined;
    const taken = record.deleted ? undefined : this.nameKey(record.name);
    if (freed !== undefined) this.names.set(freed, null);
    if (taken !== undefined) this.names.set(taken, record.itemId);
    this.pending.set(record.itemId, record);
    this.out.records.push(record);
    const stats = this.input.statistics;
    const counted = this.countedAs(outcome, before, record, freed, taken);
    this.decisions.noteRecord(counted, { ...(freed === undefined ? {} : { freed }), ...(taken === undefined ? {} : { taken }) });
    if (counted === 'unchanged') stats.unchanged++;
    else {
      stats[counted]++;
      stats.applied++;
    }
  }

  /**
   * How a saved record counts. An item deleted here and another created at its name with the very same content in
   * this batch (the source merged two copies of one file into one item, or deleted a file and made an identical
   * one) changed nothing a person would see: both count as unchanged, not as a deletion and a new file. The
   * replica leaves such a file where it is (the delete and the write of one name meet as twins).
   */
  private countedAs(outcome: RecordOutcome, before: ItemRecord | undefined, record: ItemRecord, freed: string | undefined, taken: string | undefined): RecordOutcome {
    if (outcome === 'deleted' && before !== undefined && !before.deleted && freed !== undefined) {
      this.deletedHere.set(freed, { item: before, index: this.out.records.length - 1 });
      return outcome;
    }
    if (outcome !== 'created' || taken === undefined) return outcome;
    const gone = this.deletedHere.get(taken);
    if (gone === undefined || !sameLiveUnits(gone.item, record)) return outcome;
    this.deletedHere.delete(taken);
    this.decisions.relabel(gone.index, 'unchanged');
    const stats = this.input.statistics;
    stats.deleted--;
    stats.applied--;
    stats.unchanged++;
    return 'unchanged';
  }

  private nameKey(name: string): string {
    return this.input.target.nameKey?.(name) ?? name;
  }

  write(write: ReplicaWrite<TUnit>): void {
    this.out.writes.push(write);
    this.decisions.noteWrite();
  }

  /** True when the destination knows every version of `record` (nothing to apply). */
  allKnownByDestination(record: ItemRecord): boolean {
    if (!this.knownByDestination(record.itemId, record.version)) return false;
    for (const unit of record.units) if (!this.knownByDestination(record.itemId, unit.version)) return false;
    return true;
  }

  knownByDestination(itemId: ItemId, version: Version): boolean {
    return version.tick === 0 || this.input.destination.containsKeyed(version.key, itemId, version.tick);
  }

  knownBySource(itemId: ItemId, version: Version): boolean {
    return version.tick === 0 || this.input.source.containsKeyed(version.key, itemId, version.tick);
  }

  /** The winner of two concurrent versions by the documented conflict order. */
  laterOf(itemId: ItemId, a: Version, b: Version): Version {
    if (this.knownBySource(itemId, b)) return a;
    const keyMap = this.input.destination.keyMap;
    return conflictOrder(toGlobal(a, keyMap), toGlobal(b, keyMap)) >= 0 ? a : b;
  }
}

/** The version of a record that wins by the conflict order (its latest change). */
function latest(record: ItemRecord, keyMap: readonly string[]): Version {
  let best: Version = record.version;
  let bestGlobal: GlobalVersion = toGlobal(best, keyMap);
  for (const unit of record.units) {
    const global = toGlobal(unit.version, keyMap);
    if (conflictOrder(global, bestGlobal) > 0) {
      best = unit.version;
      bestGlobal = global;
    }
  }
  return best;
}

/**
 * `values` restricted to `unitIds`, the retriever's order first (replicas such as XML files keep their units in
 * document order), then null for each unit it did not return.
 */
function valuesFor<TUnit>(unitIds: readonly ChangeUnitId[], values: ReadonlyMap<ChangeUnitId, TUnit>): Map<ChangeUnitId, TUnit | null> {
  const out = new Map<ChangeUnitId, TUnit | null>();
  for (const [unitId, value] of values) if (unitIds.includes(unitId)) out.set(unitId, value);
  for (const unitId of unitIds) if (!out.has(unitId)) out.set(unitId, null);
  return out;
}

/** Runs `next` on `value` now, or once it resolves: a step that is asynchronous only when it has to be. */
function then<T>(value: T | Promise<T>, next: (value: T) => Promise<void> | void): Promise<void> | void {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** Units of a record by id. */
export function unitMap(record: ItemRecord): Map<ChangeUnitId, UnitRecord> {
  return new Map(record.units.map((unit) => [unit.unitId, unit]));
}
