/**
 * What travels from a source to a destination: item metadata with versions, grouped into batches that carry
 * the knowledge they were made with and the knowledge the destination learns once the batch is applied.
 */
import type { ChangeUnitId, ItemId, ReplicaId } from './ids.ts';
import type { Knowledge } from './knowledge.ts';
import type { Version } from './version.ts';

/** The version of one change unit (field) of an item; `hash` null means the unit was removed. */
export interface UnitRecord {
  readonly unitId: ChangeUnitId;
  readonly version: Version;
  readonly hash: string | null;
}

/**
 * Sync metadata of one item: its name (the constraint key: a path, an XML `id`), creation version, item-level
 * version (creation, rename, deletion), tombstone flag and change units. Stored in the metadata store with the
 * store's replica keys; sent in a batch with the source's keys (the batch's `madeWith.keyMap`).
 */
export interface ItemRecord {
  readonly itemId: ItemId;
  readonly name: string;
  readonly created: Version;
  readonly version: Version;
  readonly deleted: boolean;
  readonly units: readonly UnitRecord[];
}

/** Work estimates so the orchestrator can report progress. */
export interface WorkEstimate {
  /** Changes in this batch. */
  readonly batch: number;
  /** Changes still to come after this batch. */
  readonly remaining: number;
}

/** A batch of changes from a source. */
export interface ChangeBatch {
  /** The replica that produced the batch. */
  readonly source: ReplicaId;
  /** Changes, sorted by item id, versions keyed by `madeWith.keyMap`. */
  readonly changes: readonly ItemRecord[];
  /** The source's knowledge when it made the batch. */
  readonly madeWith: Knowledge;
  /** What the destination learns by applying every change of the batch (same key map as `madeWith`). */
  readonly learned: Knowledge;
  /** The batch size the destination asked for. */
  readonly requestedSize: number;
  /** True for the final batch of the session. */
  readonly isLastBatch: boolean;
  readonly work: WorkEstimate;
}

/** A batch of a full enumeration (recovery): every source item in `[lowerBound, upperBound)`. */
export interface FullEnumerationBatch extends ChangeBatch {
  readonly lowerBound: ItemId;
  /** Exclusive end of the covered range; null for the last batch (unbounded). */
  readonly upperBound: ItemId | null;
}

/** Translates a version from one key map into another via `translation[sourceKey] = localKey`. */
export function translateVersion(version: Version, translation: readonly number[]): Version {
  if (version.tick === 0) return version;
  const key = translation[version.key];
  if (key === undefined) throw new RangeError(`replica key ${version.key} is not in the batch's key map`);
  return key === version.key ? version : { key, tick: version.tick };
}

/** Translates every version of a record; returns the record itself when no key changes (the common case). */
export function translateRecord(record: ItemRecord, translation: readonly number[]): ItemRecord {
  const created = translateVersion(record.created, translation);
  const version = translateVersion(record.version, translation);
  let units: UnitRecord[] | null = null;
  for (const [index, unit] of record.units.entries()) {
    const unitVersion = translateVersion(unit.version, translation);
    if (unitVersion === unit.version) continue;
    units ??= [...record.units];
    units[index] = { ...unit, version: unitVersion };
  }
  return created === record.created && version === record.version && !units ? record : { ...record, created, version, units: units ?? record.units };
}

/** `translation[remoteKey] = localKey` for two key maps, `local` already containing every remote replica. */
export function keyTranslation(remote: readonly ReplicaId[], local: readonly ReplicaId[]): number[] {
  return remote.map((replica) => {
    const key = local.indexOf(replica);
    if (key < 0) throw new RangeError(`replica ${replica} is missing from the local key map`);
    return key;
  });
}

/** Every version of a record (item level and units). */
export function recordVersions(record: ItemRecord): Version[] {
  return [record.version, ...record.units.map((unit) => unit.version)];
}

/** True when both records hold the same live units (unremoved) with the same content hashes. */
export function sameLiveUnits(left: ItemRecord, right: ItemRecord): boolean {
  const live = (record: ItemRecord) => new Map(record.units.filter((unit) => unit.hash !== null).map((unit) => [unit.unitId, unit.hash]));
  const [a, b] = [live(left), live(right)];
  return a.size === b.size && [...a].every(([unitId, hash]) => b.get(unitId) === hash);
}
