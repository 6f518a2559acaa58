/**
 * How the change applier carries out the action chosen for a conflict. Kept apart from the detection logic in
 * `changeApplier.ts`. "Source wins" and "destination wins" keep the winner's version as it is: the destination
 * learns the loser's version through the batch's knowledge, so wherever the winner travels next, its holder's
 * knowledge shows it supersedes the loser. Outcomes that are new data (merges, renames) get a new local version.
 */
import { sameLiveUnits, type ItemRecord, type UnitRecord } from './changeBatch.ts';
import { unitMap, type ChangeApplier } from './changeApplier.ts';
import type { ChangeUnitId } from './ids.ts';

/** The record to save for a colliding item, with unit values that do not come from the source. */
export interface CollisionOutcome<TUnit> {
  readonly record: ItemRecord;
  readonly extra: ReadonlyMap<ChangeUnitId, TUnit | null>;
  /** How saving `record` counts, when not as the usual create or update (twins merged: nothing new arrived). */
  readonly counted?: 'unchanged' | 'updated';
}

/** Resolves concurrent updates of a live item (`merged` already holds every non-conflicting change). */
export async function resolveUpdateConflict<TUnit>(
  applier: ChangeApplier<TUnit>,
  change: ItemRecord,
  local: ItemRecord,
  merged: ItemRecord,
  fromRemote: readonly ChangeUnitId[],
  conflicting: readonly ChangeUnitId[],
  nameConflict: boolean,
): Promise<void> {
  const conflict = await applier.conflictOf('updateUpdate', change, local, nameConflict ? [...conflicting, '#name'] : conflicting);
  const action = await applier.decide(conflict);
  if (action === 'skip' || action === 'saveForLater') return;
  const version = action === 'merge' ? applier.newVersion() : null;
  const units = unitMap(merged);
  const remoteUnits = unitMap(change);
  const extra = new Map<ChangeUnitId, TUnit | null>();
  for (const unitId of conflicting) {
    const remote = remoteUnits.get(unitId);
    if (!remote) continue;
    if (action === 'sourceWins') {
      units.set(unitId, remote);
      extra.set(unitId, conflict.remote?.units.get(unitId) ?? null);
    } else if (version && applier.input.target.mergeUnit) {
      const value = applier.input.target.mergeUnit(unitId, conflict.local?.units.get(unitId), conflict.remote?.units.get(unitId));
      units.set(unitId, { unitId, version, hash: applier.input.target.hashUnit(value) });
      extra.set(unitId, value);
    }
  }
  const remoteName = action === 'sourceWins' || (action === 'merge' && conflict.newer === 'remote');
  const named = nameConflict ? (remoteName ? { name: change.name, version: change.version } : { name: local.name, version: local.version }) : merged;
  const record: ItemRecord = { ...merged, name: named.name, version: version ?? named.version, units: [...units.values()] };
  await applier.commitUpdate(record, local, fromRemote, extra);
}

/**
 * Resolves a remote delete of a locally updated item (`updateDelete`) or the reverse (`deleteUpdate`). An update
 * that wins is kept or brought back under a new item version: the delete (and any rename before it) had a version
 * the update's older one does not supersede, so without a new one a replica that saw the rename would take the
 * update's content and keep the renamed name, and the replicas would disagree on the name for good. One brought
 * back gets new versions for the units the local delete had newer values of (see below); one kept over a remote
 * delete, for the units the remote delete had newer values of.
 */
export async function resolveDeleteConflict<TUnit>(applier: ChangeApplier<TUnit>, kind: 'updateDelete' | 'deleteUpdate', change: ItemRecord, local: ItemRecord): Promise<void> {
  const conflict = await applier.conflictOf(kind, change, local, []);
  const action = await applier.decide(conflict);
  if (action === 'skip' || action === 'saveForLater') return;
  const remoteWins = action === 'sourceWins';
  if (kind === 'updateDelete' && remoteWins) {
    applier.write({ kind: 'delete', itemId: local.itemId, name: local.name, previousName: local.name, units: new Map(), replaceAll: true });
    applier.save({ ...change, name: local.name }, 'deleted');
  } else if (kind === 'deleteUpdate' && (remoteWins || action === 'merge')) {
    // And a unit whose value here, when deleted, was a later one than the update carries (an edit made elsewhere,
    // which this replica saw and then deleted): as it is, the brought-back value would lose to that edit on the
    // replica that made it, while this replica's knowledge says it has it. Other units keep their versions, so
    // an edit made elsewhere on top of them stays causal, not a conflict.
    const version = applier.newVersion();
    const deletedUnits = new Map(local.units.map((unit) => [unit.unitId, unit.version]));
    const supersededHere = (unit: UnitRecord): boolean => {
      const mine = deletedUnits.get(unit.unitId);
      return mine !== undefined && (mine.key !== unit.version.key || mine.tick !== unit.version.tick) && applier.knownByDestination(change.itemId, unit.version);
    };
    await applier.create({ ...change, version, units: change.units.map((unit) => (unit.hash !== null && supersededHere(unit) ? { ...unit, version } : unit)) });
  } else if (kind === 'updateDelete') {
    // Kept here over the delete, the same way round: a unit whose value the deleting replica had seen replaced by a
    // later one (an edit made elsewhere) before deleting gets a new version too, since this replica learns that
    // replica's knowledge and its older value would otherwise pass here for the later one, which the replica
    // holding it would keep for good.
    const version = applier.newVersion();
    const deletedUnits = new Map(change.units.map((unit) => [unit.unitId, unit.version]));
    const supersededThere = (unit: UnitRecord): boolean => {
      const theirs = deletedUnits.get(unit.unitId);
      return theirs !== undefined && (theirs.key !== unit.version.key || theirs.tick !== unit.version.tick) && applier.knownBySource(local.itemId, unit.version);
    };
    applier.save({ ...local, version, units: local.units.map((unit) => (unit.hash !== null && supersededThere(unit) ? { ...unit, version } : unit)) }, 'unchanged');
  } else {
    applier.save(local, 'unchanged');
  }
}

/**
 * Resolves a name collision between `incoming` (a source item being created or renamed) and `holder` (a
 * different live local item with that name). Returns the record to save for the incoming item, or null when it
 * is not saved (skipped, saved for later, or merged into the holder).
 */
export async function resolveCollision<TUnit>(applier: ChangeApplier<TUnit>, incoming: ItemRecord, holder: ItemRecord, incomingLocal: ItemRecord | null): Promise<CollisionOutcome<TUnit> | null> {
  const conflict = await applier.conflictOf('collision', incoming, holder, []);
  // The same content created on both sides (two copies of one file set up as a pair) is one item, not a
  // decision for the user: merge it the way every replica merges collisions. Not so for two names that only
  // share a key (case variants on a case-insensitive replica): another replica may hold both.
  if (incoming.name === holder.name && sameUnits(incoming, holder)) return mergeCollision(applier, incoming, holder, incomingLocal, conflict.remote?.units, conflict.local?.units, true);
  const action = await applier.decide(conflict);
  if (action === 'skip' || action === 'saveForLater') return null;
  const target = applier.input.target;
  const taken = (candidate: string): boolean => applier.liveHolder(candidate, '') !== undefined;
  const version = applier.newVersion();
  if (action === 'renameSource' || action === 'sourceWins') {
    return { record: { ...incoming, name: target.uniqueName(incoming.name, taken), version }, extra: new Map() };
  }
  if (action === 'renameDestination' || action === 'destinationWins') {
    const name = target.uniqueName(holder.name, taken);
    applier.write({ kind: 'upsert', itemId: holder.itemId, name, previousName: holder.name, units: new Map(), replaceAll: false });
    applier.save({ ...holder, name, version }, 'updated');
    return { record: incoming, extra: new Map() };
  }
  return mergeCollision(applier, incoming, holder, incomingLocal, conflict.remote?.units, conflict.local?.units);
}

/** True when both live items hold exactly the same units with the same content hashes. */
function sameUnits(left: ItemRecord, right: ItemRecord): boolean {
  return !left.deleted && !right.deleted && sameLiveUnits(left, right);
}

/**
 * Merge: the item with the smaller id survives with the other's extra units; the other becomes a tombstone.
 * `twins`: both held the same content (one file set up on both sides), so the destination received nothing new:
 * the statistics count neither a creation nor a deletion (an update only where the survivor gained units).
 */
async function mergeCollision<TUnit>(
  applier: ChangeApplier<TUnit>,
  incoming: ItemRecord,
  holder: ItemRecord,
  incomingLocal: ItemRecord | null,
  incomingValues: ReadonlyMap<ChangeUnitId, TUnit> | undefined,
  holderValues: ReadonlyMap<ChangeUnitId, TUnit> | undefined,
  twins = false,
): Promise<CollisionOutcome<TUnit> | null> {
  const version = applier.newVersion();
  const [survivor, loser, loserValues] = incoming.itemId < holder.itemId ? [incoming, holder, holderValues] : [holder, incoming, incomingValues];
  const mine = unitMap(survivor);
  const extra = new Map<ChangeUnitId, TUnit | null>();
  const units = new Map<ChangeUnitId, UnitRecord>(mine);
  for (const unit of loser.units) {
    const value = loserValues?.get(unit.unitId);
    if (unit.hash === null || mine.get(unit.unitId)?.hash != null || value === undefined) continue;
    units.set(unit.unitId, { unitId: unit.unitId, version, hash: unit.hash });
    extra.set(unit.unitId, value);
  }
  const merged: ItemRecord = { ...survivor, units: [...units.values()] };
  const counted = !twins ? undefined : extra.size > 0 ? 'updated' : 'unchanged';
  if (survivor === holder) {
    applier.write({ kind: 'upsert', itemId: holder.itemId, name: holder.name, previousName: holder.name, units: extra, replaceAll: false });
    applier.save(merged, counted ?? 'updated');
    if (incomingLocal && !incomingLocal.deleted) applier.write({ kind: 'delete', itemId: incoming.itemId, name: incomingLocal.name, previousName: incomingLocal.name, units: new Map(), replaceAll: true });
    applier.save({ ...incoming, deleted: true, version }, 'unchanged');
    return null;
  }
  applier.write({ kind: 'delete', itemId: holder.itemId, name: holder.name, previousName: holder.name, units: new Map(), replaceAll: true });
  applier.save({ ...holder, deleted: true, version }, twins ? 'unchanged' : 'deleted');
  return { record: merged, extra, ...(counted === undefined ? {} : { counted }) };
}
