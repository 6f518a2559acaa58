/**
 * Safety guards run before a folder pair syncs, on the plan and before anything is recorded or written:
 * a missing or unmounted root, and a sync that would delete a large share of the files.
 */
import fs from 'node:fs';
import { FolderError, RootMissingError } from './errors.ts';
import { metadataPath, type FolderPlan } from './folderReplica.ts';
import { assertRootPresent } from './treeScanner.ts';

/** One side of a pair as the guard sees it. */
export interface SideState {
  readonly label: 'left' | 'right';
  readonly root: string;
  /** The replica id this pair recorded for the side after a previous sync, if any. */
  readonly knownReplicaId?: string;
  /** The user confirmed that this side should start afresh (new metadata, nothing deleted). */
  readonly freshStart?: boolean;
}

/** Limits of the mass-delete guard. */
export interface MassDeleteLimits {
  /** Stop when more than this share of a side's files would be deleted on the other side (default 0.5). */
  readonly maxFraction?: number;
  /** Stop when more than this many files would be deleted, whatever the share. */
  readonly maxCount?: number;
  /**
   * Below this many deletions the share is not checked (default 5): deleting the only file of a small pair is
   * an everyday action, and every delete goes to the trash anyway. `maxCount` still applies.
   */
  readonly minimumDeletions?: number;
  /** The user confirmed these deletions. */
  readonly confirmed?: boolean;
}

/** The sync would delete many files; it stopped before doing anything and asks the user. */
export class MassDeleteError extends FolderError {
  readonly deletions: number;
  readonly files: number;
  /** `side` is where the files were deleted, `roots` both sides' folders (each message names the folders). */
  constructor(side: 'left' | 'right', deletions: number, files: number, roots: { readonly left: string; readonly right: string }) {
    const other = side === 'left' ? 'right' : 'left';
    super('MASS_DELETE', side, { key: 'MASS_DELETE', values: { count: deletions, files, from: roots[other], other, where: roots[side], side } });
    this.name = 'MassDeleteError';
    this.deletions = deletions;
    this.files = files;
  }
}

/**
 * Fails with ROOT_MISSING when the folder is absent or not a folder, or when its `.synccenter` metadata is gone
 * although this pair synced the side before (an unmounted drive often leaves an empty mount point), unless the
 * user confirmed a fresh start.
 */
export function checkRoot(side: SideState, replicaIdOnDisk: () => string | undefined): void {
  assertRootPresent(side.root);
  if (side.knownReplicaId === undefined || side.freshStart === true) return;
  if (!fs.existsSync(metadataPath(side.root))) {
    throw new RootMissingError(side.root, 'its .synccenter folder is gone although this pair synced it before; the drive may not be mounted', true);
  }
  const onDisk = replicaIdOnDisk();
  if (onDisk !== undefined && onDisk !== side.knownReplicaId) {
    throw new RootMissingError(side.root, 'it holds a different replica than the one this pair synced before', true);
  }
}

/** Throws `MassDeleteError` when the deletions found on `side` exceed the limits. */
export function checkMassDelete(side: 'left' | 'right', plan: FolderPlan, roots: { readonly left: string; readonly right: string }, limits: MassDeleteLimits = {}): void {
  if (limits.confirmed === true) return;
  const deletions = plan.changes.deleted.filter((record) => record.kind !== 'directory').length;
  if (deletions === 0) return;
  const files = plan.previousFileCount;
  const overShare = deletions >= (limits.minimumDeletions ?? 5) && deletions > (limits.maxFraction ?? 0.5) * files;
  const overCount = limits.maxCount !== undefined && deletions > limits.maxCount;
  if (overShare || overCount) throw new MassDeleteError(side, deletions, files, roots);
}
