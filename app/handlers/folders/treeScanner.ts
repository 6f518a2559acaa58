/**
 * Scans a replica root into a flat list of entries (readdir + lstat with nanosecond times). Symbolic links are
 * recorded, never followed; the metadata directory, our temporary files and excluded paths are skipped; a path
 * that cannot be read becomes an issue in the result and the rest of the tree is still scanned.
 *
 * The scan uses synchronous calls on purpose: it runs in the handler's worker thread, and for trees of 100,000
 * files a synchronous lstat costs a fraction of a promise round trip.
 *
 * Given the previous scan's records (`known`), an entry whose plain lstat matches its record in every field
 * (kind, size, mode, inode, and mtime and ctime within a microsecond) is that record: no nanosecond (BigInt)
 * stat and no new object for the files that did not change, which is nearly all of them. Anything else is
 * stat'ed again with nanosecond precision. Matching within a microsecond where nanoseconds differ would need a
 * rewrite within a microsecond of the recorded write, ctime included (a program cannot set ctime); such a file
 * was written just before the previous scan, so detection re-hashes it anyway (racily clean).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CanceledError, RootMissingError, systemCode, toFolderError, type FolderAction } from './errors.ts';
import { createExcludeMatcher, type ExcludeMatcher } from './excludeMatcher.ts';
import { fileSystemNowNs } from './fileSystemClock.ts';
import type { FileRecord } from './changeDetector.ts';
import { normalizationKey, validateRelativePath } from './pathSafety.ts';
import { isMetadataName, isTempName, METADATA_DIR } from './tempNames.ts';

/** The kinds of entry the folder handler syncs. */
export type EntryKind = 'file' | 'directory' | 'symlink';

/** One scanned entry. Times and inode numbers are bigints: nanoseconds and 64-bit ids do not fit a double. */
export interface ScanEntry {
  /** Replica-relative, '/'-separated, exactly as named on disk. */
  readonly path: string;
  readonly kind: EntryKind;
  readonly size: number;
  readonly mtimeNs: bigint;
  /** Change time: moves on any content or metadata write and cannot be set by programs (see changeDetector). */
  readonly ctimeNs: bigint;
  readonly ino: bigint;
  /** Permission bits only (`mode & 0o7777`). */
  readonly mode: number;
  /** The link's target, verbatim, for symbolic links. */
  readonly linkTarget?: string;
}

/** A path the scan could not read; everything under it must be treated as unknown, never as deleted. */
export interface ScanIssue {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** Names in one directory that are equal after Unicode normalization (only possible on some file systems). */
export interface NormalizationCollision {
  readonly directory: string;
  readonly names: readonly string[];
}

/** The outcome of one scan. */
export interface ScanResult {
  readonly root: string;
  /** When the scan started, in the file system's clock (ns since the epoch). */
  readonly startedAtNs: bigint;
  /** Parents before their children. */
  readonly entries: readonly ScanEntry[];
  readonly issues: readonly ScanIssue[];
  readonly collisions: readonly NormalizationCollision[];
  /** Leftover temporary files of ours (replica-relative), for `cleanupTempFiles`. */
  readonly tempFiles: readonly string[];
  /** Folders (not the root) in which the scan found nothing at all, not even a skipped name: their entries. */
  readonly emptyFolders: readonly ScanEntry[];
}

/** Options of `scanTree`. */
export interface ScanOptions {
  /** gitignore-style patterns, or a prepared matcher. */
  readonly excludes?: readonly string[] | ExcludeMatcher;
  readonly signal?: AbortSignal;
  /** Wall clock in ms (the clock port), used with the file system's own clock for the scan start. */
  readonly now?: () => number;
  /** Called after each directory with the number of entries so far. */
  readonly onProgress?: (entriesScanned: number) => void;
  /** The previous scan's records by path: an entry that still matches its record is returned as that record. */
  readonly known?: ReadonlyMap<string, FileRecord>;
}

interface ScanState {
  readonly root: string;
  readonly known: ReadonlyMap<string, FileRecord> | undefined;
  readonly matcher: ExcludeMatcher;
  readonly entries: ScanEntry[];
  readonly issues: ScanIssue[];
  readonly collisions: NormalizationCollision[];
  readonly tempFiles: string[];
  readonly emptyFolders: ScanEntry[];
}

/**
 * Scans `root`. Throws `RootMissingError` when the root is absent or not a folder; every other failure is
 * reported per path in `issues`.
 */
export function scanTree(root: string, options: ScanOptions = {}): ScanResult {
  const resolvedRoot = path.resolve(root);
  assertRootPresent(resolvedRoot);
  const startedAtNs = fileSystemNowNs(resolvedRoot, options.now?.() ?? Date.now());
  const excludes = options.excludes;
  const matcher = excludes !== undefined && 'isExcluded' in excludes ? excludes : createExcludeMatcher(excludes);
  const state: ScanState = { root: resolvedRoot, known: options.known, matcher, entries: [], issues: [], collisions: [], tempFiles: [], emptyFolders: [] };
  // Folders to read, by their entries; undefined stands for the root.
  const pending: (ScanEntry | undefined)[] = [undefined];
  while (pending.length > 0) {
    if (options.signal?.aborted === true) throw new CanceledError(resolvedRoot);
    const children = scanDirectory(state, pending.pop());
    // Reverse so that popping visits subfolders in name order; a folder is listed before anything inside it.
    for (let index = children.length - 1; index >= 0; index -= 1) pending.push(children[index]);
    options.onProgress?.(state.entries.length);
  }
  const { entries, issues, collisions, tempFiles, emptyFolders } = state;
  return { root: resolvedRoot, startedAtNs, entries, issues, collisions, tempFiles, emptyFolders };
}

/** Throws `RootMissingError` unless `root` is an existing directory (the root itself may be a link). */
export function assertRootPresent(root: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root, { throwIfNoEntry: false });
  } catch (error) {
    throw new RootMissingError(root, `cannot be read: ${systemCode(error) ?? String(error)}`);
  }
  if (stat === undefined) throw new RootMissingError(root, 'the folder does not exist');
  if (!stat.isDirectory()) throw new RootMissingError(root, 'it is not a folder');
}

/** Reads one directory (the root when `folder` is undefined), records its entries and returns those of its subdirectories. */
function scanDirectory(state: ScanState, folder: ScanEntry | undefined): ScanEntry[] {
  const directory = folder?.path ?? '';
  const absolute = directory === '' ? state.root : `${state.root}${path.sep}${directory}`;
  let names: string[];
  try {
    names = fs.readdirSync(absolute).sort();
  } catch (error) {
    // The root itself gone between the check and its listing (a drive unmounted, the folder moved away) is not
    // an empty folder: read as one, every file would look deleted.
    if (directory === '') {
      assertRootPresent(state.root);
      throw new RootMissingError(state.root, `cannot be read: ${systemCode(error) ?? String(error)}`);
    }
    state.issues.push(issueFor(error, directory, 'reading the folder'));
    return [];
  }
  recordCollisions(state, directory, names);
  if (names.length === 0 && folder !== undefined) state.emptyFolders.push(folder);
  const subdirectories: ScanEntry[] = [];
  for (const name of names) {
    const relative = directory === '' ? name : `${directory}/${name}`;
    if (skipName(state, directory, name, relative)) continue;
    const entry = statEntry(state, relative, `${absolute}${path.sep}${name}`);
    if (entry === undefined || (entry.kind === 'directory' && isMetadataName(name)) || state.matcher.isExcluded(relative, entry.kind === 'directory')) continue;
    state.entries.push(entry);
    if (entry.kind === 'directory') subdirectories.push(entry);
  }
  return subdirectories;
}

/**
 * Skips the metadata directory at the root (a metadata folder deeper, another pair's or an XML replica's, is skipped
 * once its lstat says it is a folder: `isMetadataName`; copied to the other side it could overwrite a pair's metadata
 * there), our temporaries (noted for cleanup) and names we cannot address safely.
 */
function skipName(state: ScanState, directory: string, name: string, relative: string): boolean {
  if (directory === '' && name === METADATA_DIR) return true;
  if (isTempName(name)) {
    state.tempFiles.push(relative);
    return true;
  }
  if (name.includes('\uFFFD')) {
    state.issues.push({ path: relative, code: 'UNSAFE_NAME', message: `"${relative}" is not valid UTF-8 and cannot be synced; rename it.` });
    return true;
  }
  // The folder's own path is already valid: only the new segment needs checking (the full check when it fails).
  if (name !== '' && name !== '.' && name !== '..' && !name.includes('\0') && !name.includes('\\') && !name.includes('/')) return false;
  try {
    validateRelativePath(relative);
    return false;
  } catch (error) {
    state.issues.push(issueFor(error, relative, 'reading'));
    return true;
  }
}

/**
 * lstat one entry (never following links); unsupported kinds (sockets, devices, FIFOs) are skipped. `absolute`
 * is built by concatenation: the parts are already a resolved root and checked names, so `path.join`'s
 * normalization would only cost time.
 */
function statEntry(state: ScanState, relative: string, absolute: string): ScanEntry | undefined {
  try {
    const known = state.known?.get(relative);
    if (known !== undefined) {
      const quick = fs.lstatSync(absolute, { throwIfNoEntry: false });
      if (quick === undefined) return undefined;
      if (stillMatches(known, quick)) return known as ScanEntry;
    }
    const stat = fs.lstatSync(absolute, { bigint: true, throwIfNoEntry: false });
    if (stat === undefined) return undefined; // deleted between readdir and lstat: simply not there
    const kind: EntryKind | undefined = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : undefined;
    if (kind === undefined) return undefined;
    const base = { path: relative, kind, size: Number(stat.size), mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, ino: stat.ino, mode: Number(stat.mode) & 0o7777 };
    return kind === 'symlink' ? { ...base, linkTarget: fs.readlinkSync(absolute) } : base;
  } catch (error) {
    state.issues.push(issueFor(error, relative, 'reading'));
    return undefined;
  }
}

/** True when a plain lstat shows exactly what `record` says (see the module comment); links are always re-read. */
function stillMatches(record: FileRecord, stat: fs.Stats): boolean {
  if (record.ctimeNs === undefined || record.size !== stat.size || record.mode !== (stat.mode & 0o7777)) return false;
  const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : undefined;
  if (kind !== record.kind || !Number.isSafeInteger(stat.ino) || Number(record.ino) !== stat.ino) return false;
  return withinMicrosecond(record.mtimeNs, stat.mtimeMs) && withinMicrosecond(record.ctimeNs, stat.ctimeMs);
}

/** Whether `ns` and a plain stat's fractional milliseconds are the same time to within a microsecond. */
function withinMicrosecond(ns: bigint, ms: number): boolean {
  return Math.abs(Number(ns) - ms * 1e6) < 1000;
}

/** Notes names in one directory that normalize to the same NFC form. */
function recordCollisions(state: ScanState, directory: string, names: readonly string[]): void {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    if (!/[^\p{ASCII}]/u.test(name)) continue; // pure ASCII names are already normalized
    const key = normalizationKey(name);
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  for (const group of groups.values()) {
    if (group.length > 1) state.collisions.push({ directory, names: group });
  }
}

function issueFor(error: unknown, relative: string, action: FolderAction): ScanIssue {
  const typed = toFolderError(error, relative === '' ? '.' : relative, action);
  return { path: relative, code: typed.code, message: typed.message };
}
