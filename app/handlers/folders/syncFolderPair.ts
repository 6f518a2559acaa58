/**
 * One two-way sync of a folder pair: guards, scan of both sides, the engine session (left uploads to right,
 * then right to left), conflict handling by the pair's policy, and progress by stage with files, bytes and ETA.
 * Everything the `folders` handler needs for one item; the handler only maps it onto the host's session.
 */
import { idSources, MetadataSyncProvider, synchronize, type CollisionAction, type Conflict, type ConflictAction, type ItemId, type SyncStatistics } from '../../engine/index.ts';
import type { TextData } from '../handlerText.ts';
import { placesOverlap } from '../places.ts';
import { CanceledError, englishText, RootsOverlapError } from './errors.ts';
import { saveConflictCopy } from './conflictCopy.ts';
import { createExcludeMatcher } from './excludeMatcher.ts';
import type { FileWorkPool } from './fileWorkPool.ts';
import { FolderReplica, type FolderPlan } from './folderReplica.ts';
import { CONTENT_UNIT, KIND_UNIT, type ContentSource, type FolderUnit } from './folderUnits.ts';
import { createProgressMeter, type FolderProgress, type ProgressMeter } from './progressMeter.ts';
import { lockRoot, type RootLock } from './rootLock.ts';
import { checkMassDelete, checkRoot, type MassDeleteLimits } from './syncGuards.ts';

export type { FolderProgress } from './progressMeter.ts';

/** What happens to a conflicting change (per pair). `ask` saves it for the user; nothing is overwritten. */
export type FolderConflictPolicy = 'ask' | 'newerWins' | 'leftWins' | 'rightWins' | 'keepBoth';

/** Options of one pair sync. */
export interface FolderPairOptions {
  readonly conflictPolicy?: FolderConflictPolicy;
  /** gitignore-style patterns; excluded files are never synced nor deleted. */
  readonly excludes?: readonly string[];
  /** The clock port. */
  readonly clock?: { now(): number };
  /** The id source port (GUIDs, for replica and item ids). */
  readonly newId?: () => string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FolderProgress) => void;
  /** Replica ids recorded by earlier syncs of this pair (from `FolderPairResult.replicas`). */
  readonly knownReplicas?: { readonly left?: string; readonly right?: string };
  /** Sides the user confirmed should start afresh after a ROOT_MISSING failure. */
  readonly freshStart?: { readonly left?: boolean; readonly right?: boolean };
  readonly massDelete?: MassDeleteLimits;
  /** How each side is named in conflict copies ("from laptop"); default "left" and "right". */
  readonly sideLabels?: { readonly left: string; readonly right: string };
  /**
   * The user's decisions for conflicts saved by an earlier sync, by path: they replace the pair's policy for
   * those paths (update-update: left, right or both kept; a collision: both kept).
   */
  readonly resolutions?: ReadonlyMap<string, 'leftWins' | 'rightWins' | 'keepBoth'>;
  /** Threads for copying and hashing many small files (default: the process's shared pool); null: none. */
  readonly workPool?: FileWorkPool | null;
}

/** A conflict as the user sees it. */
export interface FolderConflict {
  readonly kind: 'updateUpdate' | 'updateDelete' | 'deleteUpdate' | 'collision';
  readonly path: string;
  readonly itemId: ItemId;
  /** What was done: saved for the user, or resolved by the policy. */
  readonly resolution: 'saved' | 'leftKept' | 'rightKept' | 'bothKept' | 'merged' | 'updateKept';
}

/** An information event about the outcome (the host turns these into events). */
export interface FolderSyncEvent {
  readonly level: 'information' | 'warning';
  readonly code: string;
  readonly path: string;
  /** In English; `text` is the same as data, for the handler to translate. */
  readonly message: string;
  readonly text?: TextData;
}

/** The outcome of one pair sync. */
export interface FolderPairResult {
  readonly status: 'succeeded' | 'canceled';
  /** Replica ids of both sides: keep them and pass them back as `knownReplicas`. */
  readonly replicas: { readonly left: string; readonly right: string };
  readonly conflicts: readonly FolderConflict[];
  readonly events: readonly FolderSyncEvent[];
  readonly statistics: { readonly leftToRight: SyncStatistics | null; readonly rightToLeft: SyncStatistics | null };
}

/**
 * Syncs the folders `left` and `right` both ways; see the module comment. Both roots are locked for the whole
 * sync, so another session on either root (another pair, a conflict resolution) fails with BUSY instead.
 */
export async function syncFolderPair(left: string, right: string, options: FolderPairOptions = {}): Promise<FolderPairResult> {
  const now = () => options.clock?.now() ?? Date.now();
  checkRoot({ label: 'left', root: left, ...known(options, 'left') }, () => undefined);
  checkRoot({ label: 'right', root: right, ...known(options, 'right') }, () => undefined);
  const overlap = placesOverlap(left, right, 'folder');
  if (overlap !== undefined) throw new RootsOverlapError(overlap, left, right);
  const leftLock = lockRoot(left, now);
  let rightLock: RootLock | undefined;
  try {
    rightLock = lockRoot(right, now);
    return await syncLocked(left, right, options);
  } finally {
    rightLock?.release();
    leftLock.release();
  }
}

async function syncLocked(left: string, right: string, options: FolderPairOptions): Promise<FolderPairResult> {
  const now = () => options.clock?.now() ?? Date.now();
  const ids = idSources(options.newId);
  const meter = createProgressMeter(now, options.onProgress);
  const excludes = createExcludeMatcher(options.excludes);
  const open = (root: string) =>
    FolderReplica.open({ root, excludes, now, newItemId: ids.item, newReplicaId: ids.replica, ...(options.signal ? { signal: options.signal } : {}), ...(options.workPool === undefined ? {} : { workPool: options.workPool }), onBytes: meter.bytes, onFileDone: meter.fileDone });
  const leftReplica = open(left);
  let rightReplica: FolderReplica | undefined;
  try {
    rightReplica = open(right);
    checkIdentity(leftReplica, 'left', options);
    checkIdentity(rightReplica, 'right', options);
    const plans = await planBoth(leftReplica, rightReplica, meter, options);
    meter.startTransfer(plans);
    const { conflictCopies, ...session } = await runSession(leftReplica, rightReplica, options, meter, now, ids.item);
    const result = { ...session, events: [...fileIssueEvents(leftReplica), ...fileIssueEvents(rightReplica), ...writeIssueEvents(rightReplica), ...writeIssueEvents(leftReplica), ...session.events] };
    finishBoth(leftReplica, rightReplica);
    return conflictCopies > 0 ? spreadConflictCopies(left, right, options, result) : result;
  } catch (error) {
    leftReplica.close();
    rightReplica?.close();
    if (error instanceof CanceledError && rightReplica !== undefined) return canceledResult(leftReplica, rightReplica);
    throw error;
  }
}

/** Saves both sides' scan states; a side that vanished during the sync does not keep the other from saving. */
function finishBoth(left: FolderReplica, right: FolderReplica): void {
  let failure: unknown;
  for (const replica of [left, right]) {
    try {
      replica.finish();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}

/** A warning event for each file that could not be read: it was skipped, and the rest synced. */
function fileIssueEvents(replica: FolderReplica): FolderSyncEvent[] {
  return replica.fileIssues().map((issue) => ({ level: 'warning', code: issue.code, path: issue.path, message: issue.message, text: issue.text }));
}

/** A warning event for each file that could not be written: it was skipped, the rest synced, and it is retried. */
function writeIssueEvents(replica: FolderReplica): FolderSyncEvent[] {
  return replica.writeIssues().map((issue) => {
    const text = { key: 'event.notWritten', values: { root: replica.root, reason: issue.text } };
    return { level: 'warning', code: issue.code, path: issue.path, message: englishText(text), text };
  });
}

/** A second pass takes the conflict copies made by "keep both" to the other side. */
async function spreadConflictCopies(left: string, right: string, options: FolderPairOptions, first: FolderPairResult): Promise<FolderPairResult> {
  const second = await syncLocked(left, right, { ...options, knownReplicas: first.replicas });
  return { ...second, conflicts: [...first.conflicts, ...second.conflicts], events: [...first.events, ...second.events], statistics: first.statistics };
}

/** Stopped by the user: nothing half-written, nothing recorded that is not on disk. */
function canceledResult(left: FolderReplica, right: FolderReplica): FolderPairResult {
  return { status: 'canceled', replicas: { left: left.replicaId, right: right.replicaId }, conflicts: [], events: [], statistics: { leftToRight: null, rightToLeft: null } };
}

function known(options: FolderPairOptions, side: 'left' | 'right') {
  const knownReplicaId = options.knownReplicas?.[side];
  const freshStart = options.freshStart?.[side];
  return { ...(knownReplicaId === undefined ? {} : { knownReplicaId }), ...(freshStart === undefined ? {} : { freshStart }) };
}

/** After opening: the metadata found must be the replica this pair synced before (not another drive's). */
function checkIdentity(replica: FolderReplica, side: 'left' | 'right', options: FolderPairOptions): void {
  checkRoot({ label: side, root: replica.root, ...known(options, side) }, () => replica.replicaId);
}

/** Scans and compares both sides, then applies the mass-delete guard before anything is recorded. */
async function planBoth(left: FolderReplica, right: FolderReplica, meter: ProgressMeter, options: FolderPairOptions): Promise<FolderPlan[]> {
  meter.stage('scanning');
  const leftPlan = await left.plan(meter.scanned('left'));
  const rightPlan = await right.plan(meter.scanned('right'));
  meter.stage('comparing');
  const roots = { left: left.root, right: right.root };
  checkMassDelete('left', leftPlan, roots, options.massDelete);
  checkMassDelete('right', rightPlan, roots, options.massDelete);
  if (options.signal?.aborted === true) throw new CanceledError(left.root);
  return [leftPlan, rightPlan];
}

async function runSession(left: FolderReplica, right: FolderReplica, options: FolderPairOptions, meter: ProgressMeter, now: () => number, newItemId: () => ItemId): Promise<FolderPairResult & { conflictCopies: number }> {
  const events: FolderSyncEvent[] = [];
  const conflicts: FolderConflict[] = [];
  const policy = options.conflictPolicy ?? 'ask';
  const sideOf = (conflict: Conflict<FolderUnit>) => (conflict.sourceReplica === left.replicaId ? 'left' : 'right');
  const keptBoth = new Set<string>();
  const keepBoth = async (conflict: Conflict<FolderUnit>): Promise<ConflictAction> => {
    const source = conflict.remote?.units.get(CONTENT_UNIT);
    if (conflict.conflictingUnits.includes(KIND_UNIT)) return 'saveForLater';
    // Renamed differently on both sides, content alike (a folder, or the files a folder's two renames took along):
    // one name to keep, not two contents. The conflict order picks it, the same on every replica (saved for later,
    // a folder's was met again at every sync for good; a file's made a conflict copy of identical content).
    if (typeof source !== 'object' || !conflict.conflictingUnits.includes(CONTENT_UNIT)) return conflict.newer === 'remote' ? 'sourceWins' : 'destinationWins';
    const [destination, sourceSide] = sideOf(conflict) === 'left' ? [right, 'left' as const] : [left, 'right' as const];
    const label = options.sideLabels?.[sourceSide] ?? sourceSide;
    await saveConflictCopy(destination.root, destination.trash, destination.diskPathFor(conflict.local?.name ?? ''), source, label, now());
    keptBoth.add(conflict.itemId);
    return 'destinationWins';
  };
  // Large batches: each ends with a file-system flush and a folder fsync, so fewer batches cost less.
  const provider = (replica: FolderReplica) => new MetadataSyncProvider<FolderUnit>({ store: replica.store, adapter: replica, newItemId, batchSize: 5000 });
  const session = await synchronize(provider(left), provider(right), {
    direction: 'twoWay',
    conflictPolicy: 'applicationDefined',
    collisionPolicy: 'applicationDefined',
    ...(options.signal ? { signal: options.signal } : {}),
    callbacks: {
      onConflict: (conflict) => {
        const chosen = policyFor(conflict, policy, options.resolutions);
        return chosen === 'keepBoth' && conflict.kind === 'updateUpdate' ? keepBoth(conflict) : decideConflict(conflict, chosen, sideOf(conflict), events);
      },
      onCollision: (conflict) => decideCollision(conflict, policyFor(conflict, policy, options.resolutions)),
      onConflictReported: (report) => addConflict(conflicts, describeConflict(report.conflict, keptBoth.has(report.conflict.itemId) ? 'renameSource' : report.action, sideOf(report.conflict))),
    },
  });
  meter.finish();
  return { status: session.status, replicas: { left: left.replicaId, right: right.replicaId }, conflicts, events, statistics: { leftToRight: session.upload, rightToLeft: session.download }, conflictCopies: keptBoth.size };
}

/** The user's decision for this conflict's path, else the pair's policy. */
function policyFor(conflict: Conflict<FolderUnit>, policy: FolderConflictPolicy, resolutions: FolderPairOptions['resolutions']): FolderConflictPolicy {
  const path = conflict.local?.name ?? conflict.remote?.name;
  return (path === undefined ? undefined : resolutions?.get(path)) ?? policy;
}

/**
 * Adds a conflict once: an unresolved one is met again by the other leg of the session, under the other side's
 * name when the item was renamed on both (same item and kind).
 */
function addConflict(conflicts: FolderConflict[], conflict: FolderConflict): void {
  const index = conflicts.findIndex((known) => (known.path === conflict.path || known.itemId === conflict.itemId) && known.kind === conflict.kind);
  if (index === -1) conflicts.push(conflict);
  else if (conflicts[index]?.resolution === 'saved') conflicts[index] = conflict;
}

/**
 * Update-delete: the update wins, always, and an information event says so. Update-update: by policy; `ask`
 * saves it for the user (neither side is overwritten), `newerWins` compares the files' modification times.
 */
function decideConflict(conflict: Conflict<FolderUnit>, policy: FolderConflictPolicy, sourceSide: 'left' | 'right', events: FolderSyncEvent[]): ConflictAction {
  const path = conflict.local?.name ?? conflict.remote?.name ?? '';
  if (conflict.kind === 'updateDelete' || conflict.kind === 'deleteUpdate') {
    const updatedSide = conflict.kind === 'updateDelete' ? (sourceSide === 'left' ? 'right' : 'left') : sourceSide;
    events.push({ level: 'information', code: 'UPDATE_KEPT_OVER_DELETE', path, message: `"${path}" was deleted on one side and changed on the ${updatedSide} side; the changed file was kept on both sides.` });
    return conflict.kind === 'updateDelete' ? 'destinationWins' : 'sourceWins';
  }
  if (conflict.conflictingUnits.includes(KIND_UNIT)) return 'saveForLater'; // a file on one side, a folder on the other
  switch (policy) {
    case 'leftWins':
      return sourceSide === 'left' ? 'sourceWins' : 'destinationWins';
    case 'rightWins':
      return sourceSide === 'right' ? 'sourceWins' : 'destinationWins';
    case 'newerWins':
      return mtimeOf(conflict.remote?.units) > mtimeOf(conflict.local?.units) ? 'sourceWins' : 'destinationWins';
    default:
      return 'saveForLater';
  }
}

/**
 * Two new items at one path: the same folder or identical files merge; otherwise a conflict (or both kept).
 * Names that differ only in case, met on a case-insensitive side, never merge: the other side holds both.
 */
function decideCollision(conflict: Conflict<FolderUnit>, policy: FolderConflictPolicy): CollisionAction {
  if (conflict.local !== null && conflict.remote !== null && conflict.local.name !== conflict.remote.name) return policy === 'keepBoth' ? 'renameSource' : 'saveForLater';
  const local = conflict.local?.units;
  const remote = conflict.remote?.units;
  const kind = (units: ReadonlyMap<string, FolderUnit> | undefined) => units?.get(KIND_UNIT);
  const content = (units: ReadonlyMap<string, FolderUnit> | undefined) => (units?.get(CONTENT_UNIT) as ContentSource | undefined)?.hash;
  if (kind(local) !== undefined && kind(local) === kind(remote) && content(local) === content(remote)) return 'merge';
  if (policy !== 'keepBoth') return 'saveForLater';
  // A folder against a file: the file takes the new name, so the folder's content, which comes under the folder's
  // name, finds it there in the same sync (a renamed folder would leave its files to wait for the next one).
  return kind(remote) === 'directory' && kind(local) !== undefined && kind(local) !== 'directory' ? 'renameDestination' : 'renameSource';
}

function mtimeOf(units: ReadonlyMap<string, FolderUnit> | undefined): bigint {
  const content = units?.get(CONTENT_UNIT);
  return typeof content === 'object' ? content.mtimeNs : -1n;
}

function describeConflict(conflict: Conflict<FolderUnit>, action: ConflictAction | CollisionAction, sourceSide: 'left' | 'right'): FolderConflict {
  const path = conflict.local?.name ?? conflict.remote?.name ?? '';
  const kept = (winner: 'source' | 'destination') => ((winner === 'source') === (sourceSide === 'left') ? 'leftKept' : 'rightKept');
  const resolution: FolderConflict['resolution'] =
    action === 'saveForLater' || action === 'skip' ? 'saved'
    : conflict.kind === 'updateDelete' || conflict.kind === 'deleteUpdate' ? 'updateKept'
    : action === 'merge' ? 'merged'
    : action === 'renameSource' || action === 'renameDestination' ? 'bothKept'
    : kept(action === 'sourceWins' ? 'source' : 'destination');
  return { kind: conflict.kind, path, itemId: conflict.itemId, resolution };
}
