/**
 * The provider contract (the seed's `IKnowledgeSyncProvider`) and the values that flow through a session:
 * policies, conflicts, callbacks, statistics and the data retriever.
 */
import type { ChangeBatch, FullEnumerationBatch } from './changeBatch.ts';
import type { WriteFailure } from './decisionLog.ts';
import type { ChangeUnitId, IdFormats, ItemId, ReplicaId } from './ids.ts';
import type { Knowledge } from './knowledge.ts';
import type { GlobalVersion } from './version.ts';

/** The part a provider plays in one direction of a session. */
export type SyncRole = 'source' | 'destination';

/** How update conflicts are resolved: by the application's callback, or always for one side. */
export type ConflictPolicy = 'applicationDefined' | 'sourceWins' | 'destinationWins';

/** How name collisions (constraint conflicts) are resolved. */
export type CollisionPolicy = 'applicationDefined' | 'renameSource' | 'renameDestination' | 'merge';

/** Both policies of a session. */
export interface SessionPolicy {
  readonly conflicts: ConflictPolicy;
  readonly collisions: CollisionPolicy;
}

/** What the application decides for one update conflict. */
export type ConflictAction = 'skip' | 'sourceWins' | 'destinationWins' | 'merge' | 'saveForLater';

/** What the application decides for one name collision. */
export type CollisionAction = 'skip' | 'renameSource' | 'renameDestination' | 'merge' | 'saveForLater';

/** Kinds of conflict: concurrent updates, local update vs remote delete, local delete vs remote update, same name. */
export type ConflictKind = 'updateUpdate' | 'updateDelete' | 'deleteUpdate' | 'collision';

/** An item's content as the replica holds it: name and change-unit values. */
export interface ItemSnapshot<TUnit> {
  readonly itemId: ItemId;
  readonly name: string;
  readonly units: ReadonlyMap<ChangeUnitId, TUnit>;
}

/**
 * A conflict found while applying a change, with everything needed to show both sides and resolve it later.
 * `local` is the destination's side, `remote` the source's; a side is null when that side deleted the item.
 */
export interface Conflict<TUnit> {
  readonly kind: ConflictKind;
  /** The item the source changed. */
  readonly itemId: ItemId;
  /** For a collision: the different local item holding the same name. */
  readonly localItemId: ItemId;
  readonly local: ItemSnapshot<TUnit> | null;
  readonly remote: ItemSnapshot<TUnit> | null;
  readonly localVersion: GlobalVersion;
  readonly remoteVersion: GlobalVersion;
  /** Units changed on both sides (empty for delete conflicts and collisions). */
  readonly conflictingUnits: readonly ChangeUnitId[];
  /** Which side wins by the documented conflict order (see `version.ts`). */
  readonly newer: 'local' | 'remote';
  /** The source's knowledge of this item, so a later resolution can supersede the remote version. */
  readonly remoteItemKnowledge: Knowledge;
  readonly sourceReplica: ReplicaId;
  readonly destinationReplica: ReplicaId;
}

/** A conflict and what was done about it. */
export interface ConflictReport<TUnit> {
  readonly conflict: Conflict<TUnit>;
  readonly action: ConflictAction | CollisionAction;
}

/** What the recovery callback decides when the destination is too far behind. */
export type RecoveryAction = 'fullEnumeration' | 'abort';

/** Application callbacks of a session. All are optional. */
export interface SyncCallbacks<TUnit> {
  /** Chooses the action for an update conflict when the policy is `applicationDefined` (default: save for later). */
  onConflict?(conflict: Conflict<TUnit>): ConflictAction | Promise<ConflictAction>;
  /** Chooses the action for a name collision when the policy is `applicationDefined` (default: save for later). */
  onCollision?(conflict: Conflict<TUnit>): CollisionAction | Promise<CollisionAction>;
  /** Told about every conflict and its outcome (including saved-for-later ones). */
  onConflictReported?(report: ConflictReport<TUnit>): void;
  /**
   * Told about every item the destination replica could not write (its change is left out of what the
   * destination learns, so the next session retries it; the rest of the batch is committed).
   */
  onWriteFailed?(failure: WriteFailure): void;
  /** Asked when the destination must recover; without it the session fails with RECOVERY_REQUIRED. */
  onRecoveryRequired?(info: { source: ReplicaId; destination: ReplicaId }): RecoveryAction | Promise<RecoveryAction>;
}

/** Counters a destination fills while applying batches (mutable, owned by the orchestrator). */
export interface SyncStatistics {
  /** Changes received from the source. */
  received: number;
  /** Changes applied (created, updated, moved, deleted). */
  applied: number;
  created: number;
  /** Live items changed in place (their content or other units; the name kept). */
  updated: number;
  /** Live items given a new name (renamed or moved; changed too or not). */
  moved: number;
  deleted: number;
  /** Changes already known or skipped. */
  unchanged: number;
  conflicts: number;
  /** Conflicts saved for later or skipped (the item stays out of sync). */
  unresolved: number;
  /** Changes not applied because the replica failed to write them (retried next session). */
  failed: number;
  batches: number;
}

/** Zeroed statistics. */
export function emptyStatistics(): SyncStatistics {
  return { received: 0, applied: 0, created: 0, updated: 0, moved: 0, deleted: 0, unchanged: 0, conflicts: 0, unresolved: 0, failed: 0, batches: 0 };
}

/** Reads change-unit values from the source replica (the seed's `ISynchronousDataRetriever`). */
export interface DataRetriever<TUnit> {
  /** Values of `unitIds` of `itemId` as the source holds them now. */
  loadUnits(itemId: ItemId, unitIds: readonly ChangeUnitId[]): Promise<ReadonlyMap<ChangeUnitId, TUnit>>;
  /**
   * The same for many items at once (by item id), so a destination loads a batch's data in one call instead of
   * one asynchronous step per item. Optional: without it the applier calls `loadUnits` per item.
   */
  loadUnitsOfItems?(requests: readonly UnitRequest[]): Promise<ReadonlyMap<ItemId, ReadonlyMap<ChangeUnitId, TUnit>>>;
}

/** Which units of an item a destination asks for. */
export interface UnitRequest {
  readonly itemId: ItemId;
  readonly unitIds: readonly ChangeUnitId[];
}

/** What a destination asks of the source. */
export interface SyncBatchParameters {
  readonly knowledge: Knowledge;
  readonly forgottenKnowledge: Knowledge;
  readonly requestedBatchSize: number;
}

/** A batch with the retriever for its data. */
export interface BatchWithData<TUnit, TBatch extends ChangeBatch = ChangeBatch> {
  readonly batch: TBatch;
  readonly retriever: DataRetriever<TUnit>;
}

/**
 * A replica taking part in a session (the seed's `IKnowledgeSyncProvider`). Calls come in this order:
 * `beginSession`, then `getSyncBatchParameters` / `getChangeBatch` (source) or `processChangeBatch`
 * (destination) per batch, then `endSession`. Calling `endSession` without `beginSession` is an error.
 */
export interface KnowledgeSyncProvider<TUnit> {
  readonly replicaId: ReplicaId;
  readonly idFormats: IdFormats;
  /** Joins a session; a provider detects its local changes here. */
  beginSession(role: SyncRole): Promise<void>;
  getSyncBatchParameters(): Promise<SyncBatchParameters>;
  /** The next batch of changes the destination (with `destinationKnowledge`) does not know. */
  getChangeBatch(batchSize: number, destinationKnowledge: Knowledge): Promise<BatchWithData<TUnit>>;
  /** The next batch of a full enumeration, starting at `lowerBound` (recovery). */
  getFullEnumerationChangeBatch(batchSize: number, lowerBound: ItemId, destinationKnowledge: Knowledge): Promise<BatchWithData<TUnit, FullEnumerationBatch>>;
  processChangeBatch(policy: SessionPolicy, batch: ChangeBatch, retriever: DataRetriever<TUnit>, callbacks: SyncCallbacks<TUnit>, statistics: SyncStatistics): Promise<void>;
  processFullEnumerationChangeBatch(policy: SessionPolicy, batch: FullEnumerationBatch, retriever: DataRetriever<TUnit>, callbacks: SyncCallbacks<TUnit>, statistics: SyncStatistics): Promise<void>;
  endSession(): Promise<void>;
}
