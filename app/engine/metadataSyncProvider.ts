/**
 * The reference provider: a `KnowledgeSyncProvider` whose sync metadata lives in a `MetadataStore`, so the
 * concrete replica (an XML file, a folder) only detects local changes and reads and writes data through a
 * `ReplicaAdapter`. Enumeration walks the store's change-tick indexes (cost follows changes); applying a batch
 * writes the data first, then commits metadata and learned knowledge in one transaction, so a crash in
 * between shows up next time as a local edit identical to the remote one, which merges without a conflict.
 */
import { keyTranslation, recordVersions, translateRecord, type ChangeBatch, type FullEnumerationBatch, type ItemRecord } from './changeBatch.ts';
import { ChangeApplier, type ApplierTarget, type ReplicaWrite } from './changeApplier.ts';
import type { WriteFailure } from './decisionLog.ts';
import { EMPTY_VECTOR } from './clockVector.ts';
import { InvalidOperationError } from './errors.ts';
import type { ChangeUnitId, IdFormats, ItemId, ReplicaId } from './ids.ts';
import { Knowledge } from './knowledge.ts';
import { LocalChangeTracker } from './localChangeTracker.ts';
import type { BatchWithData, DataRetriever, KnowledgeSyncProvider, SessionPolicy, SyncBatchParameters, SyncCallbacks, SyncRole, SyncStatistics } from './provider.ts';
import type { MetadataStore } from '../store/metadata/metadataStore.ts';

/** What a concrete replica implements to be synced by `MetadataSyncProvider`. */
export interface ReplicaAdapter<TUnit> {
  /** Reports every local change since the last session (`observe`, `observeDeleted`, or a full scan). */
  detectChanges(tracker: LocalChangeTracker): Promise<void>;
  /** Current values of units of a live local item. */
  loadUnits(record: ItemRecord, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, TUnit>>;
  /**
   * Performs data changes (in order), atomically if the replica can; called before metadata is committed.
   * Items it could not write are returned (or it throws to fail the whole batch): their changes are withdrawn
   * and retried next session, and the rest of the batch is committed.
   */
  applyWrites(writes: readonly ReplicaWrite<TUnit>[]): Promise<readonly WriteFailure[] | void>;
  /**
   * Told which writes were withdrawn after failures (the failed ones, and the others of the same decisions,
   * which may have been performed): their metadata is not committed, so whatever of them happened must show
   * up as a local change at the next detection (as after a crash between writing and committing).
   */
  writesWithdrawn?(writes: readonly ReplicaWrite<TUnit>[]): void;
  /** The hash recorded for a unit value; must match what `detectChanges` reports for the same value. */
  hashUnit(value: TUnit): string;
  /** A free name derived from `name` (collision renames). */
  uniqueName(name: string, isTaken: (candidate: string) => boolean): string;
  /**
   * For replicas where different names can be one place (a case-insensitive file system): the key under which
   * names collide. A different item arriving under a held key is a name collision, decided like any other.
   */
  nameKey?(name: string): string;
  /** With `nameKey`: the name of the local item holding `key` now, if any. */
  nameWithKey?(key: string): string | undefined;
  mergeUnit?(unitId: ChangeUnitId, local: TUnit | undefined, remote: TUnit | undefined): TUnit;
}

/** Options of `MetadataSyncProvider`. */
export interface MetadataSyncProviderOptions<TUnit> {
  readonly store: MetadataStore;
  readonly adapter: ReplicaAdapter<TUnit>;
  /** Ids for newly detected items (inject for determinism). */
  readonly newItemId: () => ItemId;
  /** Batch size this replica asks for as a destination (default 1000). */
  readonly batchSize?: number;
}

interface Enumeration {
  readonly madeWith: Knowledge;
  readonly ids: readonly ItemId[];
  readonly destination: Knowledge;
  cursor: number;
  lower: ItemId;
}

interface Session {
  readonly role: SyncRole;
  /** Records of the batch last enumerated, so the retriever does not read them again. */
  sent?: Map<ItemId, ItemRecord>;
  enumeration?: Enumeration;
  localIds?: readonly ItemId[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** See the module comment. */
export class MetadataSyncProvider<TUnit> implements KnowledgeSyncProvider<TUnit> {
  readonly store: MetadataStore;
  readonly adapter: ReplicaAdapter<TUnit>;
  private readonly newItemId: () => ItemId;
  private readonly batchSize: number;
  private session: Session | null = null;

  constructor(options: MetadataSyncProviderOptions<TUnit>) {
    this.store = options.store;
    this.adapter = options.adapter;
    this.newItemId = options.newItemId;
    this.batchSize = options.batchSize ?? 1000;
  }

  get replicaId(): ReplicaId {
    return this.store.replicaId;
  }

  get idFormats(): IdFormats {
    return this.store.idFormats;
  }

  async beginSession(role: SyncRole): Promise<void> {
    if (this.session) throw new InvalidOperationError('beginSession was called twice; end the current session first.');
    await this.detectChanges();
    this.session = { role };
  }

  /** Brings the metadata up to date with the replica's content (also run by `beginSession`). */
  async detectChanges(): Promise<number> {
    const tracker = new LocalChangeTracker(this.store, this.newItemId);
    await this.adapter.detectChanges(tracker);
    return tracker.commit();
  }

  async getSyncBatchParameters(): Promise<SyncBatchParameters> {
    this.require();
    return { knowledge: this.store.knowledge(), forgottenKnowledge: this.store.forgottenKnowledge(), requestedBatchSize: this.batchSize };
  }

  async getChangeBatch(batchSize: number, destinationKnowledge: Knowledge): Promise<BatchWithData<TUnit>> {
    const session = this.require('source');
    session.enumeration ??= this.startEnumeration(destinationKnowledge);
    const enumeration = session.enumeration;
    const slice = enumeration.ids.slice(enumeration.cursor, enumeration.cursor + batchSize);
    enumeration.cursor += slice.length;
    const records = this.store.getItems(slice);
    session.sent = records;
    const changes = [...records.values()].filter((record) => this.unknownTo(enumeration.destination, record));
    changes.sort((a, b) => byId(a.itemId, b.itemId));
    const upper = enumeration.ids[enumeration.cursor] ?? null;
    const batch = this.batchOf(enumeration, changes, upper, batchSize);
    enumeration.lower = upper ?? enumeration.lower;
    return { batch, retriever: this.retriever() };
  }

  async getFullEnumerationChangeBatch(batchSize: number, lowerBound: ItemId, destinationKnowledge: Knowledge): Promise<BatchWithData<TUnit, FullEnumerationBatch>> {
    const session = this.require('source');
    session.enumeration ??= { madeWith: this.store.knowledge(), destination: destinationKnowledge, ids: this.store.allItemIds(), cursor: 0, lower: '' };
    const enumeration = session.enumeration;
    const start = lowerIndex(enumeration.ids, lowerBound);
    const slice = enumeration.ids.slice(start, start + batchSize);
    const records = this.store.getItems(slice);
    session.sent = records;
    const changes = [...records.values()].sort((a, b) => byId(a.itemId, b.itemId));
    const upper = enumeration.ids[start + slice.length] ?? null;
    enumeration.lower = lowerBound;
    enumeration.cursor = start + slice.length;
    const batch = { ...this.batchOf(enumeration, changes, upper, batchSize), lowerBound, upperBound: upper };
    return { batch, retriever: this.retriever() };
  }

  async processChangeBatch(policy: SessionPolicy, batch: ChangeBatch, retriever: DataRetriever<TUnit>, callbacks: SyncCallbacks<TUnit>, statistics: SyncStatistics): Promise<void> {
    this.require('destination');
    await this.apply(policy, batch, retriever, callbacks, statistics, null);
  }

  async processFullEnumerationChangeBatch(policy: SessionPolicy, batch: FullEnumerationBatch, retriever: DataRetriever<TUnit>, callbacks: SyncCallbacks<TUnit>, statistics: SyncStatistics): Promise<void> {
    const session = this.require('destination');
    session.localIds ??= this.store.allItemIds();
    const inRange = session.localIds.filter((id) => id >= batch.lowerBound && (batch.upperBound === null || id < batch.upperBound));
    await this.apply(policy, batch, retriever, callbacks, statistics, inRange);
  }

  async endSession(): Promise<void> {
    if (!this.session) throw new InvalidOperationError('endSession was called without beginSession.');
    this.session = null;
  }

  /** Reads units from this replica for a destination. */
  retriever(): DataRetriever<TUnit> {
    const load = async (itemId: ItemId, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, TUnit>> => {
      const record = this.session?.sent?.get(itemId) ?? this.store.getItem(itemId);
      return record && !record.deleted ? this.adapter.loadUnits(record, unitIds) : new Map();
    };
    return {
      loadUnits: load,
      loadUnitsOfItems: async (requests) => {
        const out = new Map<ItemId, ReadonlyMap<ChangeUnitId, TUnit>>();
        for (const { itemId, unitIds } of requests) out.set(itemId, await load(itemId, unitIds));
        return out;
      },
    };
  }

  private require(role?: SyncRole): Session {
    if (!this.session) throw new InvalidOperationError('No session: call beginSession first.');
    if (role && this.session.role !== role) throw new InvalidOperationError(`This provider is the ${this.session.role} of the session, not the ${role}.`);
    return this.session;
  }

  private startEnumeration(destinationKnowledge: Knowledge): Enumeration {
    const madeWith = this.store.knowledge();
    const destination = madeWith.mapRemoteToLocal(destinationKnowledge);
    const minimum = madeWith.keyMap.map((_, key) => destination.minimumTick(key));
    let ids = this.store.changedItemIds(minimum);
    // Items the destination holds an exception for may lack a version it knows without being changed by tick.
    if (destination.items.length > 0) ids = [...new Set([...ids, ...destination.items.map((item) => item.itemId)])].sort(byId);
    return { madeWith, destination, ids, cursor: 0, lower: '' };
  }

  private unknownTo(destination: Knowledge, record: ItemRecord): boolean {
    return recordVersions(record).some((version) => version.tick > 0 && !destination.containsKeyed(version.key, record.itemId, version.tick));
  }

  private batchOf(enumeration: Enumeration, changes: ItemRecord[], upper: ItemId | null, requestedSize: number): ChangeBatch {
    const isLastBatch = upper === null;
    // Each batch teaches the source's knowledge over the id range it covers (the last one up to the end), so an
    // item an earlier batch left out (a conflict saved for later, a failed write) is not taught by a later one.
    const learned = enumeration.madeWith.projectOntoRange(enumeration.lower, upper);
    const work = { batch: changes.length, remaining: enumeration.ids.length - enumeration.cursor };
    return { source: this.replicaId, changes, madeWith: enumeration.madeWith, learned, requestedSize, isLastBatch, work };
  }

  private async apply(policy: SessionPolicy, batch: ChangeBatch, retriever: DataRetriever<TUnit>, callbacks: SyncCallbacks<TUnit>, statistics: SyncStatistics, fullRange: readonly ItemId[] | null): Promise<void> {
    const destination = this.store.knowledge().union(Knowledge.of(batch.madeWith.keyMap, EMPTY_VECTOR, [], []));
    const translation = keyTranslation(batch.madeWith.keyMap, destination.keyMap);
    let tick = this.store.tickCount();
    const target = this.applierTarget(() => ++tick, batch.changes);
    const applier = new ChangeApplier({ destination, source: destination.mapRemoteToLocal(batch.madeWith), sourceAsSent: batch.madeWith, policy, callbacks, retriever, target, statistics });
    const out = await applier.applyAll(batch.changes.map((change) => translateRecord(change, translation)));
    if (fullRange) applier.forgetMissing(fullRange, new Set(batch.changes.map((change) => change.itemId)));
    const failures = (await this.adapter.applyWrites(out.writes)) ?? [];
    if (failures.length > 0) {
      this.adapter.writesWithdrawn?.(applier.withdraw(failures.map((failure) => failure.itemId)).writes);
      for (const failure of failures) callbacks.onWriteFailed?.(failure);
    }
    const learned = destination.mapRemoteToLocal(batch.learned).excludeItems(out.excluded);
    const knowledge = destination.union(learned).withTick(0, tick);
    this.store.commit({ records: out.records, removals: out.removals, knowledge, tickCount: tick });
    statistics.batches++;
  }

  private applierTarget(nextTick: () => number, changes: readonly ItemRecord[]): ApplierTarget<TUnit> {
    const { store, adapter } = this;
    // Prefetch what the applier will look up, in a few statements for the whole batch.
    const local = store.getItems(changes.map((change) => change.itemId));
    const holders = store.findLiveItemsByNames(changes.map((change) => change.name));
    const askedNames = new Set(changes.map((change) => change.name));
    // The ids read above, with the holders of the batch's names (a collision reads the local item in the way).
    const readIds = new Set(changes.map((change) => change.itemId));
    for (const holder of holders.values()) {
      if (readIds.has(holder.itemId)) continue;
      readIds.add(holder.itemId);
      local.set(holder.itemId, holder);
    }
    const getItem = (itemId: ItemId) => (readIds.has(itemId) ? local.get(itemId) : store.getItem(itemId));
    return {
      getItem,
      findLiveItemByName: (name) => {
        const exact = askedNames.has(name) ? holders.get(name) : store.findLiveItemByName(name);
        if (exact || !adapter.nameKey || !adapter.nameWithKey) return exact;
        const holding = adapter.nameWithKey(adapter.nameKey(name));
        return holding === undefined ? undefined : store.findLiveItemByName(holding);
      },
      ...(adapter.nameKey ? { nameKey: adapter.nameKey.bind(adapter) } : {}),
      loadLocalUnits: async (itemId, unitIds) => {
        const record = getItem(itemId);
        return record && !record.deleted ? adapter.loadUnits(record, unitIds) : new Map();
      },
      hashUnit: (value) => adapter.hashUnit(value),
      uniqueName: (name, isTaken) => adapter.uniqueName(name, isTaken),
      ...(adapter.mergeUnit ? { mergeUnit: adapter.mergeUnit.bind(adapter) } : {}),
      nextTick,
    };
  }
}

function lowerIndex(ids: readonly ItemId[], bound: ItemId): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((ids[middle] ?? '') < bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
