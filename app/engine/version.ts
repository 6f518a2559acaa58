/**
 * Versions: a change is named by the replica that made it and that replica's tick count at the time. Inside a
 * store or a batch, the replica is a *key* into a knowledge key map; across key maps, a `GlobalVersion` names
 * the replica by id.
 *
 * Conflict order (documented total order, used to pick a deterministic winner between concurrent versions):
 * the version with the higher tick wins; on equal ticks, the one whose replica id is greater (plain string
 * comparison of the canonical lower-case GUID) wins. Every replica applies the same order, so independent
 * resolutions of the same conflict agree.
 */
import type { ReplicaId } from './ids.ts';
import type { Knowledge } from './knowledge.ts';

/** A version keyed by a replica key of some key map. Tick 0 means "no version". */
export interface Version {
  readonly key: number;
  readonly tick: number;
}

/** A version naming its replica by id. */
export interface GlobalVersion {
  readonly replica: ReplicaId;
  readonly tick: number;
}

/** Result of comparing two versions of one item held by two replicas. */
export type VersionComparison = 'equal' | 'greater' | 'lesser' | 'concurrentGreater' | 'concurrentLesser';

/** A version together with the knowledge of the replica holding it. */
export interface VersionWithKnowledge {
  readonly version: GlobalVersion;
  readonly knowledge: Knowledge;
}

/** Expresses a keyed version by replica id. */
export function toGlobal(version: Version, keyMap: readonly ReplicaId[]): GlobalVersion {
  const replica = keyMap[version.key];
  if (replica === undefined) throw new RangeError(`replica key ${version.key} is not in the key map`);
  return { replica, tick: version.tick };
}

/** Total conflict order between two versions: positive when `a` wins, negative when `b` wins, 0 when equal. */
export function conflictOrder(a: GlobalVersion, b: GlobalVersion): number {
  if (a.tick !== b.tick) return a.tick > b.tick ? 1 : -1;
  if (a.replica === b.replica) return 0;
  return a.replica > b.replica ? 1 : -1;
}

/**
 * Compares version `a` (held with knowledge `a.knowledge`) with `b` for item `itemId`: `greater` when a's
 * holder knows b but b's holder does not know a, `concurrent*` when neither knows the other (ranked by
 * `conflictOrder`), `equal` when they are the same version.
 */
export function compareVersions(itemId: string, a: VersionWithKnowledge, b: VersionWithKnowledge): VersionComparison {
  if (a.version.replica === b.version.replica && a.version.tick === b.version.tick) return 'equal';
  const aKnowsB = a.knowledge.containsChange(b.version.replica, itemId, b.version.tick);
  const bKnowsA = b.knowledge.containsChange(a.version.replica, itemId, a.version.tick);
  if (aKnowsB && !bKnowsA) return 'greater';
  if (bKnowsA && !aKnowsB) return 'lesser';
  return conflictOrder(a.version, b.version) > 0 ? 'concurrentGreater' : 'concurrentLesser';
}

/** The comparison seen from the other side. */
export function invertComparison(comparison: VersionComparison): VersionComparison {
  const inverse: Record<VersionComparison, VersionComparison> = {
    equal: 'equal',
    greater: 'lesser',
    lesser: 'greater',
    concurrentGreater: 'concurrentLesser',
    concurrentLesser: 'concurrentGreater',
  };
  return inverse[comparison];
}
