/**
 * The `folders` handler: each item is a pair of folders kept the same both ways by `syncFolderPair`. This module
 * only maps the pair sync onto the host: progress by stage (files, bytes, ETA), saved conflicts with both versions
 * read from disk for the resolve dialog, information and warning events, and resolution choices, which are applied
 * by one more sync of the pair with the user's decision for that path.
 */
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { ControlError } from '../../control/result.ts';
import type { ConflictVersion } from '../../control/schemas.ts';
import type { ConflictReport, EventReport, HandlerContext, ResolutionChoice, ResolveOutcome, StoredConflict, SyncHandler, SyncItem } from '../../runtime/syncHandler.ts';
import { formatBytes, formatEta, handlerText, translateText } from '../handlerText.ts';
import { describePairItem, PairItemStore, type PairItem } from '../pairItemStore.ts';
import { DecisionNeeded, recordResolutionSync, runPairSession, type PairOutcome, type ReportItemProgress } from '../pairSession.ts';
import { validatePair } from '../pairSetup.ts';
import { conflictCopyName } from './conflictCopy.ts';
import { FolderError } from './errors.ts';
import { resolveInsideRoot } from './pathSafety.ts';
import { scanStateLogPath, scanStatePath } from './scanStateStore.ts';
import { MassDeleteError } from './syncGuards.ts';
import { METADATA_DIR } from './tempNames.ts';
import { syncFolderPair, type FolderConflict, type FolderPairOptions, type FolderPairResult, type FolderProgress } from './syncFolderPair.ts';
import { Trash } from './trash.ts';

const previewLimit = 65_536;

/** What a saved conflict keeps for its resolution. */
interface FolderConflictData {
  readonly path: string;
  readonly kind: FolderConflict['kind'];
  /** Different kinds of entry on the two sides (a file and a folder, a file and a link). */
  readonly kindsDiffer: boolean;
}

/** A safety guard that stopped the sync until the user decides (a missing drive, a mass delete). */
interface GuardConflictData {
  readonly guard: 'rootMissing' | 'massDelete';
  /** The side that is missing, or where the files were deleted. */
  readonly side: 'left' | 'right';
}

/** The factory the runtime imports (built-in convention: `app/handlers/folders/foldersHandler.ts`). */
export function createHandler(context: HandlerContext): SyncHandler {
  const items = new PairItemStore(context.dataDir);
  const t = handlerText();
  return {
    id: 'folders',
    name: t('folders.name'),
    info: { type: 'folder', typeLabel: t('folders.typeLabel'), comment: t('folders.comment') },
    capabilities: { eventStore: true, conflictStore: true, browseContent: true, reportsAllConflicts: true },
    items: () => items.list().map(toSyncItem),
    synchronize: (itemIds, session) => runPairSession(itemIds, session, items, (item, report, signal) => syncItem(items, item, report, signal, context), context.now),
    describeItem: (itemId) => describePairItem(items.get(itemId)),
    deleteItem: (itemId) => items.remove(itemId),
    resolveConflict: (conflict, choice) => resolve(items, items.get(conflict.itemId), conflict, choice, context),
    setup(args, options) {
      const { left, right } = validatePair('folders', args, 'folder');
      const name = options.name ?? `${path.basename(left)} ↔ ${path.basename(right)}`;
      const item = items.add('folders', { name, left, right, conflictPolicy: options.conflictPolicy ?? 'ask', exclude: [...options.exclude], createdTime: context.now() });
      return toSyncItem(item);
    },
  };
}

function toSyncItem(item: PairItem): SyncItem {
  return { id: item.id, name: item.name, comment: `${item.left} ↔ ${item.right}`, capabilities: { canDelete: true, queryBeforeDelete: true, eventStore: true, conflictStore: true } };
}

/** The options every sync of `item` shares. */
function pairOptions(item: PairItem, context: HandlerContext): FolderPairOptions {
  return {
    conflictPolicy: item.conflictPolicy,
    excludes: item.exclude,
    clock: { now: context.now },
    knownReplicas: item.replicas,
    sideLabels: { left: path.basename(item.left) || item.left, right: path.basename(item.right) || item.right },
  };
}

async function syncItem(items: PairItemStore, item: PairItem, report: ReportItemProgress, signal: AbortSignal, context: HandlerContext): Promise<PairOutcome> {
  let result: FolderPairResult;
  try {
    result = await syncFolderPair(item.left, item.right, { ...pairOptions(item, context), signal, onProgress: (progress) => reportProgress(report, progress) });
  } catch (error) {
    const decision = guardConflict(item, error);
    throw decision === undefined ? error : new DecisionNeeded(error as Error, [decision]);
  }
  remember(items, item, result);
  const t = handlerText();
  const conflicts = result.conflicts.filter((conflict) => conflict.resolution === 'saved').map((conflict) => toReport(item, conflict));
  const settled = result.conflicts
    .filter((conflict) => conflict.resolution !== 'saved' && conflict.resolution !== 'updateKept')
    .map((conflict): Omit<EventReport, 'itemId'> => ({ level: 'information', name: t('event.conflictKept'), description: t('event.conflictSettled', { path: conflict.path, how: t(`settled.${conflict.resolution}`) }) }));
  const notices = result.events.map((event): Omit<EventReport, 'itemId'> => {
    if (event.code === 'UPDATE_KEPT_OVER_DELETE') return { level: 'information', name: t('event.updateKeptName'), description: t('event.updateKept', { path: event.path }) };
    const description = event.text === undefined ? event.message : translateText(event.text, event.message, t);
    return { level: event.level, name: event.level === 'warning' ? t('event.fileSkippedName') : t('event.noticeName'), description, context: event.path };
  });
  return { status: result.status, conflicts, events: [...notices, ...settled], statistics: { toLeft: result.statistics.rightToLeft, toRight: result.statistics.leftToRight } };
}

/**
 * The decision a safety guard asks for, as a conflict: a root whose sync data is gone or foreign (an unmounted drive,
 * another drive) can start afresh from the other side; files deleted en masse are deleted on the other side too, or
 * brought back. A root folder that is simply absent needs no decision: reconnect it.
 */
function guardConflict(item: PairItem, error: unknown): Omit<ConflictReport, 'itemId'> | undefined {
  if (!(error instanceof FolderError)) return undefined;
  const t = handlerText();
  const rootOf = (side: 'left' | 'right') => (side === 'left' ? item.left : item.right);
  const version = (side: 'left' | 'right', text: string, stopped: boolean): ConflictVersion => ({
    side,
    label: t('folders.folderLabel', { side: t(`side.${side}`), root: rootOf(side) }),
    modifiedTime: null,
    size: null,
    location: rootOf(side),
    preview: { kind: 'text', text, truncated: false },
    ...(stopped ? { stopped } : {}),
  });
  const other = (side: 'left' | 'right') => (side === 'left' ? 'right' : 'left');
  if (error instanceof MassDeleteError) {
    const side = error.path === 'right' ? 'right' : 'left';
    const data: GuardConflictData = { guard: 'massDelete', side };
    const counts = { count: error.deletions, files: error.files, root: rootOf(side) };
    const versions = [version(side, t('guard.deletedHere', counts), true), version(other(side), t('guard.stillHere', { root: rootOf(other(side)) }), false)];
    return { kind: 'massDelete', name: rootOf(side), description: t('guard.massDelete', counts), versions: sortBySide(versions), data };
  }
  if (error.code !== 'ROOT_MISSING') return undefined;
  const side = error.path === item.right ? 'right' : 'left';
  if (statSync(rootOf(side), { throwIfNoEntry: false })?.isDirectory() !== true) return undefined;
  const data: GuardConflictData = { guard: 'rootMissing', side };
  const versions = [version(side, t('guard.notRecognized', { root: rootOf(side) }), true), version(other(side), t('guard.stillHere', { root: rootOf(other(side)) }), false)];
  return { kind: 'rootMissing', name: rootOf(side), description: t('guard.rootMissing', { root: rootOf(side) }), versions: sortBySide(versions), data };
}

function sortBySide(versions: ConflictVersion[]): ConflictVersion[] {
  return versions.sort((a, b) => a.side.localeCompare(b.side));
}

/** Keeps the replica ids a sync learned, so a vanished drive is later told apart from an emptied one. */
function remember(items: PairItemStore, item: PairItem, result: FolderPairResult): void {
  if (item.replicas.left === result.replicas.left && item.replicas.right === result.replicas.right) return;
  items.update(item.id, { replicas: result.replicas });
}

/** A pair sync's progress as the item's progress text and bar (exported for its test). */
export function reportProgress(report: ReportItemProgress, progress: FolderProgress): void {
  const t = handlerText();
  if (progress.stage === 'scanning') {
    report(t('progress.scanning', { files: progress.filesDone }), 0, 0);
    return;
  }
  if (progress.stage === 'comparing') {
    report(t('progress.comparing', { files: progress.filesDone }), 0, 0);
    return;
  }
  if (progress.stage === 'finished') {
    report(t('progress.finishing'), 1000, 1000);
    return;
  }
  const values = { done: progress.filesDone, total: progress.filesTotal, bytesDone: formatBytes(progress.bytesDone), bytesTotal: formatBytes(progress.bytesTotal) };
  const text = progress.etaMs === undefined ? t('progress.transferring', values) : t('progress.transferringEta', { ...values, eta: formatEta(progress.etaMs) });
  // Bytes drive the bar when there are any; a sync of empty files and folders counts files.
  if (progress.bytesTotal > 0) report(text, scaled(progress.bytesDone, progress.bytesTotal), 1000);
  else report(text, progress.filesDone, Math.max(progress.filesTotal, 1));
}

function scaled(done: number, total: number): number {
  return Math.min(1000, Math.floor((done / total) * 1000));
}

function toReport(item: PairItem, conflict: FolderConflict): Omit<ConflictReport, 'itemId'> {
  const t = handlerText();
  const versions = [version(item, 'left', conflict.path), version(item, 'right', conflict.path)];
  const [left, right] = versions.map((entry) => entry.kind);
  const data: FolderConflictData = { path: conflict.path, kind: conflict.kind, kindsDiffer: left !== 'absent' && right !== 'absent' && left !== right };
  return { kind: conflict.kind, name: conflict.path, description: t(`conflict.${conflict.kind}`), versions: versions.map((entry) => entry.version), data };
}

/** One side of a conflict as it is on disk now (nothing was overwritten while it was open). */
function version(item: PairItem, side: 'left' | 'right', relativePath: string): { version: ConflictVersion; kind: 'file' | 'symlink' | 'directory' | 'absent' } {
  const t = handlerText();
  const root = side === 'left' ? item.left : item.right;
  const location = path.join(root, relativePath);
  const info = lstatSync(location, { throwIfNoEntry: false });
  const label = t(info?.isDirectory() === true ? 'folders.folderLabel' : 'folders.fileLabel', { side: t(`side.${side}`), root });
  if (info === undefined) return { kind: 'absent', version: { side, label, modifiedTime: null, size: null, location, preview: { kind: 'deleted', text: '', truncated: false } } };
  if (info.isDirectory()) return { kind: 'directory', version: { side, label, modifiedTime: Math.round(info.mtimeMs), size: null, location } };
  return { kind: info.isSymbolicLink() ? 'symlink' : 'file', version: { side, label, modifiedTime: Math.round(info.mtimeMs), size: info.size, location, preview: info.isFile() ? preview(location, info.size) : { kind: 'binary', text: '', truncated: false } } };
}

/** The first 64 KiB as text when the file is UTF-8 text, else a binary marker. */
function preview(location: string, size: number): NonNullable<ConflictVersion['preview']> {
  const buffer = Buffer.alloc(Math.min(size, previewLimit));
  let length: number;
  try {
    const fd = openSync(location, 'r');
    try {
      length = readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return { kind: 'binary', text: '', truncated: false };
  }
  const bytes = buffer.subarray(0, length);
  if (bytes.includes(0)) return { kind: 'binary', text: '', truncated: false };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: size > length });
    return { kind: 'text', text: text.slice(0, previewLimit), truncated: size > length };
  } catch {
    return { kind: 'binary', text: '', truncated: false };
  }
}

/**
 * Applies the user's choice, then syncs the pair so both sides agree at once. The version that loses is never
 * lost: an overwritten or replaced version goes to that side's `.synccenter/trash/`.
 */
async function resolve(items: PairItemStore, item: PairItem, conflict: StoredConflict, choice: ResolutionChoice, context: HandlerContext): Promise<ResolveOutcome> {
  if (choice === 'skip') return { itemSynced: false };
  const startedTime = context.now();
  const recordSync = (result: FolderPairResult): void =>
    recordResolutionSync(items, item.id, { startedTime, finishedTime: context.now(), statistics: { toLeft: result.statistics.rightToLeft, toRight: result.statistics.leftToRight }, conflicts: result.conflicts.filter((open) => open.resolution === 'saved').length });
  if (typeof (conflict.data as Partial<GuardConflictData>).guard === 'string') {
    recordSync(await decideGuard(items, item, conflict.data as GuardConflictData, choice, context));
    return { itemSynced: true };
  }
  const data = conflict.data as FolderConflictData;
  if (choice === 'removeFromSyncSet') {
    items.update(item.id, { exclude: [...item.exclude, excludePattern(data.path)] });
    return { itemSynced: false };
  }
  const winner = choice === 'keepNewer' ? newerSide(item, data.path) : choice === 'keepLeft' ? 'left' : choice === 'keepRight' ? 'right' : 'both';
  const options = pairOptions(item, context);
  let resolutions: FolderPairOptions['resolutions'] = new Map();
  if (winner === 'both') {
    if (data.kindsDiffer) renameFileSide(item, data.path, context);
    else resolutions = new Map([[data.path, 'keepBoth']]);
  } else if (data.kind === 'updateUpdate' && !data.kindsDiffer) {
    resolutions = new Map([[data.path, winner === 'left' ? 'leftWins' : 'rightWins']]);
  } else {
    // A collision or a file against a folder: the losing entry goes to its side's trash, then the winner syncs.
    const loser = winner === 'left' ? item.right : item.left;
    if (lstatSync(resolveInsideRoot(loser, data.path), { throwIfNoEntry: false }) !== undefined) new Trash(loser, context.now).keep(data.path);
  }
  const result = await syncFolderPair(item.left, item.right, { ...options, resolutions });
  remember(items, item, result);
  if (result.conflicts.some((open) => open.path === data.path && open.resolution === 'saved')) {
    throw new ControlError('CONFLICT_CHANGED', handlerText()('resolve.changedAgain', { path: data.path }));
  }
  recordSync(result);
  return { itemSynced: true };
}

/**
 * Settles a guard. Keeping the side that still has everything starts the other side afresh (its sync data is set
 * aside; files from both sides merge, nothing is deleted); keeping the side where files were deleted confirms the
 * deletions (they go to the other side's trash). "Keep the newer" and "keep both" take the side that loses nothing.
 */
async function decideGuard(items: PairItemStore, item: PairItem, data: GuardConflictData, choice: ResolutionChoice, context: HandlerContext): Promise<FolderPairResult> {
  const t = handlerText();
  const root = data.side === 'left' ? item.left : item.right;
  if (choice === 'removeFromSyncSet') throw new ControlError('NOT_SUPPORTED', t('guard.cannotRemove'));
  const keepsGuardedSide = (choice === 'keepLeft' && data.side === 'left') || (choice === 'keepRight' && data.side === 'right');
  if (data.guard === 'rootMissing' && keepsGuardedSide) throw new ControlError('NOT_SUPPORTED', t('guard.reconnect', { root }));
  const options = pairOptions(item, context);
  if (data.guard === 'massDelete' && keepsGuardedSide) {
    const confirmed = await syncFolderPair(item.left, item.right, { ...options, massDelete: { confirmed: true } });
    remember(items, item, confirmed);
    return confirmed;
  }
  if (data.guard === 'massDelete') setAsideSyncData(root, context.now());
  const knownReplicas = { ...item.replicas, [data.side]: undefined };
  const result = await syncFolderPair(item.left, item.right, { ...options, knownReplicas, freshStart: { [data.side]: true } });
  items.update(item.id, { replicas: result.replicas });
  return result;
}

/** Moves a root's sync data into `.synccenter/set-aside-<time>/`, so the side syncs as new; never deletes it. */
function setAsideSyncData(root: string, now: number): void {
  const metadata = path.join(root, METADATA_DIR);
  const target = path.join(metadata, `set-aside-${now}`);
  mkdirSync(target, { recursive: true });
  for (const name of ['metadata.db', 'metadata.db-wal', 'metadata.db-shm', path.basename(scanStatePath(root)), path.basename(scanStateLogPath(root))]) {
    if (existsSync(path.join(metadata, name))) renameSync(path.join(metadata, name), path.join(target, name));
  }
}

/** The side whose version was modified last (left on a tie); a missing side loses. */
function newerSide(item: PairItem, relativePath: string): 'left' | 'right' {
  const mtime = (root: string) => lstatSync(resolveInsideRoot(root, relativePath), { throwIfNoEntry: false })?.mtimeMs ?? Number.NEGATIVE_INFINITY;
  return mtime(item.right) > mtime(item.left) ? 'right' : 'left';
}

/** Keep both when one side has a file and the other a folder: the file moves aside under a conflict-copy name. */
function renameFileSide(item: PairItem, relativePath: string, context: HandlerContext): void {
  for (const root of [item.left, item.right]) {
    const absolute = resolveInsideRoot(root, relativePath);
    if (lstatSync(absolute, { throwIfNoEntry: false })?.isDirectory() !== false) continue;
    const copy = conflictCopyName(relativePath, context.now(), path.basename(root) || root);
    renameSync(absolute, resolveInsideRoot(root, copy));
    return;
  }
}

/** A gitignore pattern matching exactly this replica-relative path. */
function excludePattern(relativePath: string): string {
  return `/${relativePath.replace(/[\\*?[\]!#]/g, (character) => `\\${character}`).replace(/^ | $/g, '\\ ')}`;
}
