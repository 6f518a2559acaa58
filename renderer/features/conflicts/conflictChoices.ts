import type { ControlApi } from '../../../app/control/contract.ts';
import type { Conflict, ConflictVersion, ResolutionChoice } from '../../../app/control/schemas.ts';
import { errorMessage } from '../../api/ApiError.ts';

/** A side of a conflict, as the dialog lays them out. */
export type Side = 'left' | 'right';

/** The conflict kinds the host's handlers report, which have their own explanation. */
const knownKinds: ReadonlySet<string> = new Set(['updateUpdate', 'updateDelete', 'deleteUpdate', 'collision', 'massDelete', 'rootMissing']);

/** The i18n key that explains a conflict kind, or null to show the handler's own word for it. */
export function conflictKindKey(kind: string): string | null {
  return knownKinds.has(kind) ? `conflicts.kinds.${kind}` : null;
}

/**
 * A safety guard's conflict, read as the decision it asks for: not two versions of a file but what to do with a
 * whole side. `guarded` is the side the guard stopped at (its version is marked `stopped`: where files were deleted
 * en masse, or the folder whose sync data is not this pair's).
 */
export interface GuardDecision {
  readonly kind: 'massDelete' | 'rootMissing';
  readonly guarded: Side;
  readonly guardedRoot: string;
  readonly otherRoot: string;
}

/** The decision a guard conflict asks for, or null for any other conflict (shown as two versions). */
export function guardDecision(conflict: Conflict): GuardDecision | null {
  if (conflict.kind !== 'massDelete' && conflict.kind !== 'rootMissing') return null;
  const guarded = conflict.versions.find((version) => version.stopped === true);
  const other = guarded === undefined ? undefined : versionOn(conflict, otherSide(guarded.side));
  if (guarded?.location === undefined || other?.location === undefined) return null;
  return { kind: conflict.kind, guarded: guarded.side, guardedRoot: guarded.location, otherRoot: other.location };
}

/** The other side. */
export function otherSide(side: Side): Side {
  return side === 'left' ? 'right' : 'left';
}

/** The version on one side, if the handler sent it. */
export function versionOn(conflict: Conflict, side: Side): ConflictVersion | undefined {
  return conflict.versions.find((version) => version.side === side);
}

/** Whether a side holds a deletion rather than content. */
export function isDeleted(version: ConflictVersion | undefined): boolean {
  return version?.preview?.kind === 'deleted';
}

/** The side changed last, or null when the times are missing or equal (then the handler decides). */
export function newerSide(conflict: Conflict): Side | null {
  const left = versionOn(conflict, 'left')?.modifiedTime ?? null;
  const right = versionOn(conflict, 'right')?.modifiedTime ?? null;
  if (left === null || right === null || left === right) return null;
  return left > right ? 'left' : 'right';
}

/** The choice that keeps one side. */
export function keepChoice(side: Side): ResolutionChoice {
  return side === 'left' ? 'keepLeft' : 'keepRight';
}

/**
 * What keeping one side will do, as an i18n key: the plain case replaces the other side's version; a kept
 * deletion deletes the other side too; keeping content against a deletion brings the file back there.
 */
export function keepEffectKey(conflict: Conflict, side: Side): string {
  const other = otherSide(side);
  if (isDeleted(versionOn(conflict, side))) return 'resolve.effects.keepDeletion';
  if (isDeleted(versionOn(conflict, other))) return 'resolve.effects.restore';
  return 'resolve.effects.replace';
}

/** How many other open conflicts "Do this for all conflicts of this kind" would also resolve. */
export function otherConflictsOfKind(conflicts: readonly Conflict[], conflict: Conflict): number {
  return conflicts.filter((candidate) => candidate.id !== conflict.id && candidate.handlerId === conflict.handlerId && candidate.kind === conflict.kind).length;
}

/** The outcome of resolving several conflicts one by one. */
export interface BulkOutcome {
  readonly resolved: readonly string[];
  readonly failed: readonly { readonly id: string; readonly message: string }[];
}

/**
 * Resolves each conflict with the same choice, one call at a time so the handler is not flooded and a failure
 * stops nothing else: the outcome lists what was resolved and what failed, with the host's message.
 */
export async function resolveEach(api: ControlApi, ids: readonly string[], choice: ResolutionChoice): Promise<BulkOutcome> {
  const resolved: string[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const id of ids) {
    // A conflict may already be gone because an earlier call resolved it along with others.
    if (resolved.includes(id)) continue;
    try {
      const answer = await api.resolveConflict({ conflictId: id, choice });
      resolved.push(...(answer.resolved.length > 0 ? answer.resolved : [id]));
    } catch (error) {
      failed.push({ id, message: errorMessage(error) });
    }
  }
  return { resolved, failed };
}
