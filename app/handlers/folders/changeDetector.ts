/**
 * Compares a scan with the records of the previous one: what was added, modified, deleted, renamed or moved, and
 * what changed type. Content is hashed only where it decides something:
 *
 * - a file whose size or mtime changed is modified, no hash needed;
 * - a file whose stat matches but whose mtime is at or after `previousScanStart - granularity` is "racily
 *   clean": it may have been rewritten with the same size within one timestamp tick after it was recorded, so it
 *   is re-hashed (git's racy-clean rule; rsync and unison skip this and miss such rewrites);
 * - a file whose ctime moved (a program can set mtime back, never ctime) or whose mode changed is re-hashed;
 * - a new file is hashed only when a deleted file of the same size could be its rename source.
 */
import path from 'node:path';
import { hashFile, hashLinkTarget } from './contentHash.ts';
import type { EntryKind, ScanEntry, ScanResult } from './treeScanner.ts';

/** What the previous sync recorded about one path of one replica. */
export interface FileRecord {
  readonly path: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs?: bigint;
  readonly ino: bigint;
  readonly mode: number;
  /** SHA-256 of the content (files) or of the target (links); absent for directories. */
  readonly hash?: string;
  readonly linkTarget?: string;
}

/** Why a path counts as modified. */
export type ModificationReason = 'stat' | 'content' | 'mode' | 'replaced' | 'linkTarget';

/** A path whose content or metadata changed. */
export interface Modification {
  readonly previous: FileRecord;
  readonly entry: ScanEntry;
  readonly reason: ModificationReason;
  /** The new content hash when hashing was needed to decide. */
  readonly hash?: string;
}

/** An item that moved; `impliedByParent` when its folder was renamed and it kept its name inside it. */
export interface Rename {
  readonly from: FileRecord;
  readonly to: ScanEntry;
  readonly by: 'inode' | 'content';
  readonly impliedByParent: boolean;
}

/** A path that was a file and is now a folder, or the reverse (or a link). */
export interface TypeChange {
  readonly previous: FileRecord;
  readonly entry: ScanEntry;
}

/** Everything that changed since the previous scan. */
export interface ChangeSet {
  readonly added: readonly ScanEntry[];
  readonly modified: readonly Modification[];
  readonly deleted: readonly FileRecord[];
  readonly renamed: readonly Rename[];
  readonly typeChanged: readonly TypeChange[];
  /** Records under paths the scan could not read: unknown, never to be treated as deleted. */
  readonly unknown: readonly FileRecord[];
  readonly unchangedCount: number;
  /** Content hashes computed during detection, by current path. */
  readonly hashes: ReadonlyMap<string, string>;
  /** The previous record at each scanned entry's path (same order as the scan's entries), if any. */
  readonly previousAt: readonly (FileRecord | undefined)[];
}

/** Options of `detectChanges`. */
export interface DetectOptions {
  /** Start of the scan that produced `previous` (ns, file-system clock); undefined makes every file racy. */
  readonly previousScanStartNs: bigint | undefined;
  /** The file system's timestamp granularity, from `measureTimestampGranularity`. */
  readonly granularityNs: bigint;
  /** Hashes a current file by relative path; defaults to SHA-256 of the file under the scan's root. */
  readonly hash?: (relativePath: string) => Promise<string>;
  readonly signal?: AbortSignal;
  /** `previous` by path, when the caller has it already (it is built otherwise). */
  readonly previousByPath?: ReadonlyMap<string, FileRecord>;
}

interface Work {
  readonly options: DetectOptions;
  /** Files with an mtime at or after this are racily clean (undefined: every file is). */
  readonly racyFromNs: bigint | undefined;
  readonly hash: (entry: ScanEntry) => Promise<string>;
  readonly modified: Modification[];
  readonly renamed: Rename[];
  readonly hashes: Map<string, string>;
  unchangedCount: number;
}

/** Compares `scan` with the `previous` records and classifies every difference. */
export async function detectChanges(scan: ScanResult, previous: readonly FileRecord[], options: DetectOptions): Promise<ChangeSet> {
  const work = createWork(scan, options);
  const records = options.previousByPath ?? new Map(previous.map((record) => [record.path, record]));
  const unreadable = new Set(scan.issues.map((issue) => issue.path));
  const arrivals: ScanEntry[] = [];
  const previousAt: (FileRecord | undefined)[] = new Array(scan.entries.length);
  let stayed = 0;
  for (let position = 0; position < scan.entries.length; position += 1) {
    const entry = scan.entries[position] as ScanEntry;
    const record = records.get(entry.path);
    previousAt[position] = record;
    if (record !== undefined && sameIdentity(record, entry)) {
      stayed += 1;
      const pending = compareStayed(work, record, entry);
      if (pending !== undefined) await pending;
    }
    else arrivals.push(entry);
  }
  // Paths are unique: when every record stayed, nothing departed (the common case needs no second map).
  const current = stayed === previous.length ? new Map<string, ScanEntry>() : new Map(scan.entries.map((entry) => [entry.path, entry]));
  const departures: FileRecord[] = [];
  const unknown: FileRecord[] = [];
  if (stayed < previous.length) {
    for (const record of previous) {
      const entry = current.get(record.path);
      if (entry !== undefined && sameIdentity(record, entry)) continue;
      if (entry === undefined && isUnder(record.path, unreadable)) unknown.push(record);
      else departures.push(record);
    }
  }
  const claimed = await matchRenames(work, arrivals, departures);
  return { ...settleLeftovers(work, current, arrivals, departures, claimed), unknown, ...finish(work), previousAt };
}

function createWork(scan: ScanResult, options: DetectOptions): Work {
  const hashPath = options.hash ?? ((relative: string) => hashFile(path.join(scan.root, relative), relative, options.signal));
  const hashes = new Map<string, string>();
  const hash = async (entry: ScanEntry): Promise<string> => {
    const known = hashes.get(entry.path);
    if (known !== undefined) return known;
    const value = entry.kind === 'symlink' ? hashLinkTarget(entry.linkTarget ?? '') : await hashPath(entry.path);
    hashes.set(entry.path, value);
    return value;
  };
  const racyFromNs = options.previousScanStartNs === undefined ? undefined : options.previousScanStartNs - options.granularityNs;
  return { options, racyFromNs, hash, modified: [], renamed: [], hashes, unchangedCount: 0 };
}

function sameIdentity(record: FileRecord, entry: ScanEntry): boolean {
  return record.kind === entry.kind && record.ino === entry.ino;
}

/** True when `relative` is, or is inside, one of `roots` ('' stands for the whole replica). */
function isUnder(relative: string, roots: ReadonlySet<string>): boolean {
  if (roots.size === 0) return false;
  if (roots.has('')) return true;
  for (let cut = relative.length; cut > 0; cut = relative.lastIndexOf('/', cut - 1)) {
    if (roots.has(relative.slice(0, cut))) return true;
  }
  return false;
}

/** Decides whether an item that kept its path and inode changed, hashing only when stat cannot tell. */
function compareStayed(work: Work, record: FileRecord, entry: ScanEntry): Promise<void> | undefined {
  const reason = stayedChange(work, record, entry);
  if (reason instanceof Promise) return reason.then((settled) => noteStayed(work, record, entry, settled));
  noteStayed(work, record, entry, reason);
  return undefined;
}

function noteStayed(work: Work, record: FileRecord, entry: ScanEntry, reason: ModificationReason | undefined): void {
  if (reason === undefined) work.unchangedCount += 1;
  else work.modified.push({ previous: record, entry, reason, ...hashOf(work, entry) });
}

function stayedChange(work: Work, record: FileRecord, entry: ScanEntry): ModificationReason | undefined | Promise<ModificationReason | undefined> {
  if (entry.kind === 'directory') return record.mode === entry.mode ? undefined : 'mode';
  if (entry.kind === 'symlink') return record.linkTarget === entry.linkTarget ? undefined : 'linkTarget';
  if (record.size !== entry.size || record.mtimeNs !== entry.mtimeNs) return 'stat';
  const modeChanged = record.mode !== entry.mode;
  const ctimeMoved = record.ctimeNs !== undefined && record.ctimeNs !== entry.ctimeNs;
  // The common case stays synchronous: 100,000 unchanged files should not cost 100,000 promises.
  if (!modeChanged && !ctimeMoved && work.racyFromNs !== undefined && entry.mtimeNs < work.racyFromNs) return undefined; // not racily clean
  return contentChange(work, record, entry, modeChanged);
}

async function contentChange(work: Work, record: FileRecord, entry: ScanEntry, modeChanged: boolean): Promise<ModificationReason | undefined> {
  const contentChanged = record.hash === undefined || (await work.hash(entry)) !== record.hash;
  if (contentChanged) return 'content';
  return modeChanged ? 'mode' : undefined;
}

/** A file recorded so close to the previous scan's start that a same-size rewrite could share its mtime. */
export function isRacilyClean(options: Pick<DetectOptions, 'previousScanStartNs' | 'granularityNs'>, entry: Pick<ScanEntry, 'mtimeNs'>): boolean {
  if (options.previousScanStartNs === undefined) return true;
  return entry.mtimeNs >= options.previousScanStartNs - options.granularityNs;
}

function hashOf(work: Work, entry: ScanEntry): { hash?: string } {
  const hash = work.hashes.get(entry.path);
  return hash === undefined ? {} : { hash };
}

/**
 * Pairs arrivals with departures: first by inode (same kind and, for files, unchanged size and mtime — an inode
 * freed by a delete is quickly reused, so a bare inode match is not trusted), then files by size and content
 * hash. Returns the arrival paths that became rename targets, and removes matched departures.
 */
async function matchRenames(work: Work, arrivals: readonly ScanEntry[], departures: FileRecord[]): Promise<Set<string>> {
  const claimed = new Set<string>();
  const matched = new Set<FileRecord>();
  const byInode = new Map<bigint, FileRecord>();
  for (const record of departures) byInode.set(record.ino, record);
  for (const arrival of arrivals) {
    const source = byInode.get(arrival.ino);
    if (source === undefined || matched.has(source) || !inodeMoveFits(source, arrival, departures, arrivals)) continue;
    matched.add(source);
    claimed.add(arrival.path);
    work.renamed.push({ from: source, to: arrival, by: 'inode', impliedByParent: false });
    // A move keeps size and mtime, and so does a same-size rewrite with its mtime set back: as for a file that
    // stayed, a moved ctime (a rename moves it too) or a racily clean time re-hashes it, so the move carries the edit.
    if (arrival.kind === 'file') {
      const check = stayedChange(work, source, arrival);
      if (check instanceof Promise) await check;
    }
  }
  await matchByContent(work, arrivals, departures, matched, claimed);
  for (let index = departures.length - 1; index >= 0; index -= 1) {
    if (matched.has(departures[index] as FileRecord)) departures.splice(index, 1);
  }
  return claimed;
}

/** An inode match is a move when the stat a move preserves is unchanged (for folders: a child moved along). */
function inodeMoveFits(source: FileRecord, arrival: ScanEntry, departures: readonly FileRecord[], arrivals: readonly ScanEntry[]): boolean {
  if (source.kind !== arrival.kind) return false;
  if (source.kind === 'file') return source.size === arrival.size && source.mtimeNs === arrival.mtimeNs;
  if (source.kind === 'symlink') return source.linkTarget === arrival.linkTarget;
  if (source.mtimeNs === arrival.mtimeNs) return true;
  const childInodes = new Set(departures.filter((record) => record.path.startsWith(`${source.path}/`)).map((record) => record.ino));
  return arrivals.some((entry) => entry.path.startsWith(`${arrival.path}/`) && childInodes.has(entry.ino));
}

/** Matches still-unpaired file arrivals to file departures of the same size and content hash. */
async function matchByContent(work: Work, arrivals: readonly ScanEntry[], departures: readonly FileRecord[], matched: Set<FileRecord>, claimed: Set<string>): Promise<void> {
  const bySize = new Map<number, FileRecord[]>();
  for (const record of departures) {
    if (record.kind !== 'file' || record.hash === undefined || matched.has(record)) continue;
    bySize.set(record.size, [...(bySize.get(record.size) ?? []), record]);
  }
  if (bySize.size === 0) return;
  for (const arrival of arrivals) {
    const candidates = arrival.kind === 'file' && !claimed.has(arrival.path) ? bySize.get(arrival.size) : undefined;
    const open = candidates?.filter((record) => !matched.has(record)) ?? [];
    if (open.length === 0) continue;
    const hash = await work.hash(arrival);
    const sameName = (record: FileRecord) => path.posix.basename(record.path) === path.posix.basename(arrival.path);
    const source = open.find((record) => record.hash === hash && sameName(record)) ?? open.find((record) => record.hash === hash);
    if (source === undefined) continue;
    matched.add(source);
    claimed.add(arrival.path);
    work.renamed.push({ from: source, to: arrival, by: 'content', impliedByParent: false });
  }
}

/** Unmatched departures become type changes, replacements or deletions; unmatched arrivals are additions. */
function settleLeftovers(work: Work, current: ReadonlyMap<string, ScanEntry>, arrivals: readonly ScanEntry[], departures: readonly FileRecord[], claimed: Set<string>) {
  const deleted: FileRecord[] = [];
  const typeChanged: TypeChange[] = [];
  for (const record of departures) {
    const entry = current.get(record.path);
    if (entry === undefined || claimed.has(entry.path)) {
      deleted.push(record);
    } else if (entry.kind !== record.kind) {
      typeChanged.push({ previous: record, entry });
      claimed.add(entry.path);
    } else {
      // Same path and kind, new inode: saved through a temporary file and renamed over (most editors do this).
      work.modified.push({ previous: record, entry, reason: entry.kind === 'symlink' ? 'linkTarget' : 'replaced', ...hashOf(work, entry) });
      claimed.add(entry.path);
    }
  }
  const added = arrivals.filter((entry) => !claimed.has(entry.path));
  return { added, deleted, typeChanged };
}

/** Marks renames implied by a renamed parent folder and returns the collected results. */
function finish(work: Work) {
  const folderMoves = new Map<string, string>();
  for (const rename of work.renamed) if (rename.to.kind === 'directory') folderMoves.set(rename.from.path, rename.to.path);
  const renamed = work.renamed.map((rename) => {
    const fromParent = path.posix.dirname(rename.from.path);
    const toParent = path.posix.dirname(rename.to.path);
    const sameName = path.posix.basename(rename.from.path) === path.posix.basename(rename.to.path);
    return { ...rename, impliedByParent: sameName && folderMoves.get(fromParent) === toParent };
  });
  return { modified: work.modified, renamed, unchangedCount: work.unchangedCount, hashes: work.hashes };
}
