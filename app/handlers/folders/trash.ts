/**
 * A replica's trash, `<root>/.synccenter/trash/`: deleted and overwritten content goes here (a rename or hard
 * link, never a copy, because the trash is on the same file system), so every replaced version can be restored.
 *
 * Layout: `trash/<UTC stamp>-<random>/<replica-relative path>`; one stamp folder per Trash instance (a sync
 * session), and a fresh one when the same path is trashed twice in a session.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemCode, toFolderError } from './errors.ts';
import { makeFolderInside, resolveForWrite, resolveInsideRoot, toRelativePath } from './pathSafety.ts';
import { METADATA_DIR } from './tempNames.ts';

/** One restorable version in the trash. */
export interface TrashEntry {
  /** Identifies the version: `<stamp folder>/<relative path>`. */
  readonly id: string;
  /** Where it lived in the replica. */
  readonly relativePath: string;
  /** When it was trashed (ms since the epoch). */
  readonly trashedAtMs: number;
  readonly size: number;
  readonly kind: 'file' | 'symlink';
}

/** Retention limits for `purge`. */
export interface TrashRetention {
  /** Versions older than this are removed. */
  readonly maxAgeMs: number;
  /** Then the oldest versions are removed until the trash holds at most this many bytes. */
  readonly maxBytes: number;
}

const STAMP_PATTERN = /^(\d{8}T\d{6}\.\d{3}Z)-[0-9a-f]{8}$/;

/** The trash of one replica root. */
export class Trash {
  readonly directory: string;
  readonly #root: string;
  readonly #now: () => number;
  #batch: string | undefined;
  readonly #touched = new Set<string>();

  /** `now` is the clock port (ms). */
  constructor(root: string, now: () => number = Date.now) {
    this.#root = path.resolve(root);
    this.directory = path.join(this.#root, METADATA_DIR, 'trash');
    this.#now = now;
  }

  /**
   * Moves `relativePath` out of the replica into the trash (rename). Returns the trash location.
   * With `mode: 'link'` the item is hard-linked instead, leaving the original in place for an atomic replace;
   * that throws where hard links are unsupported (FAT, exFAT, some shares), and the caller falls back to 'move'.
   */
  keep(relativePath: string, mode: 'move' | 'link' = 'move'): string {
    const source = resolveInsideRoot(this.#root, relativePath);
    const target = this.#reserve(relativePath);
    try {
      if (mode === 'link') fs.linkSync(source, target);
      else fs.renameSync(source, target);
    } catch (error) {
      throw toFolderError(error, relativePath, 'moving to the trash');
    }
    this.#touched.add(path.dirname(target));
    return target;
  }

  /** Folders of the trash written since the last call, for the batch's directory fsync. */
  takeTouchedDirectories(): string[] {
    const touched = [...this.#touched];
    this.#touched.clear();
    return touched;
  }

  /** Every version in the trash, oldest first. */
  list(): TrashEntry[] {
    const entries: TrashEntry[] = [];
    for (const batch of readdirOrEmpty(this.directory)) {
      const match = STAMP_PATTERN.exec(batch);
      if (match?.[1] === undefined) continue;
      const trashedAtMs = parseStamp(match[1]);
      walkFiles(path.join(this.directory, batch), (absolute, stat) => {
        const relativePath = toRelativePath(path.join(this.directory, batch), absolute);
        const kind = stat.isSymbolicLink() ? 'symlink' : 'file';
        entries.push({ id: `${batch}/${relativePath}`, relativePath, trashedAtMs, size: stat.size, kind });
      });
    }
    return entries.sort((a, b) => a.trashedAtMs - b.trashedAtMs || a.id.localeCompare(b.id));
  }

  /**
   * Puts a version back at its path (or `to`). An occupied path is never overwritten: the version is restored
   * next to it as `name (restored N).ext`. Returns the replica-relative path it was restored to.
   */
  restore(id: string, to?: string): string {
    const source = resolveInsideRoot(this.directory, id);
    const [batch = '', ...rest] = id.split('/');
    const wanted = to ?? rest.join('/');
    const target = freePath(this.#root, wanted);
    const absolute = resolveForWrite(this.#root, target);
    try {
      makeFolderInside(this.#root, path.dirname(absolute));
      fs.renameSync(source, absolute);
    } catch (error) {
      throw toFolderError(error, wanted, 'restoring');
    }
    pruneEmptyFolders(path.join(this.directory, batch));
    return target;
  }

  /** Applies the retention limits; returns how many versions and bytes were removed for good. */
  purge(retention: TrashRetention): { removed: number; freedBytes: number } {
    const entries = this.list();
    const cutoff = this.#now() - retention.maxAgeMs;
    let total = entries.reduce((sum, entry) => sum + entry.size, 0);
    let removed = 0;
    let freedBytes = 0;
    for (const entry of entries) {
      if (entry.trashedAtMs >= cutoff && total <= retention.maxBytes) break;
      fs.rmSync(path.join(this.directory, entry.id), { force: true });
      total -= entry.size;
      freedBytes += entry.size;
      removed += 1;
    }
    for (const batch of readdirOrEmpty(this.directory)) pruneEmptyFolders(path.join(this.directory, batch));
    return { removed, freedBytes };
  }

  /** An absent trash location for `relativePath`, with its parent folders created. */
  #reserve(relativePath: string): string {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      this.#batch ??= `${formatStamp(this.#now())}-${randomBytes(4).toString('hex')}`;
      const target = resolveInsideRoot(path.join(this.directory, this.#batch), relativePath);
      if (fs.lstatSync(target, { throwIfNoEntry: false }) === undefined) {
        makeFolderInside(this.#root, path.dirname(target));
        return target;
      }
      this.#batch = undefined; // trashed twice in this session: start a new stamp folder
    }
    throw new Error(`Could not reserve a trash location for ${relativePath}`);
  }
}

/** `20261122T093000.123Z` for a time in ms: sortable, and legal in file names everywhere. */
function formatStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

function parseStamp(stamp: string): number {
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}`;
  return Date.parse(iso);
}

function readdirOrEmpty(directory: string): string[] {
  try {
    return fs.readdirSync(directory).sort();
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return [];
    throw error;
  }
}

/** Calls `visit` for every file and link under `directory` (links are not followed). */
function walkFiles(directory: string, visit: (absolute: string, stat: fs.Stats) => void): void {
  for (const name of readdirOrEmpty(directory)) {
    const absolute = path.join(directory, name);
    const stat = fs.lstatSync(absolute);
    if (stat.isDirectory()) walkFiles(absolute, visit);
    else visit(absolute, stat);
  }
}

/** Removes `directory` and its subfolders when they hold no files. */
function pruneEmptyFolders(directory: string): void {
  for (const name of readdirOrEmpty(directory)) {
    const absolute = path.join(directory, name);
    if (fs.lstatSync(absolute).isDirectory()) pruneEmptyFolders(absolute);
  }
  try {
    fs.rmdirSync(directory);
  } catch {
    // not empty (or already gone): keep it
  }
}

/** `wanted`, or `name (restored N).ext` next to it when that is taken. */
function freePath(root: string, wanted: string): string {
  const taken = (candidate: string) => fs.lstatSync(resolveInsideRoot(root, candidate), { throwIfNoEntry: false }) !== undefined;
  if (!taken(wanted)) return wanted;
  const extension = path.posix.extname(wanted);
  const stem = wanted.slice(0, wanted.length - extension.length);
  for (let counter = 1; ; counter += 1) {
    const candidate = `${stem} (restored ${counter})${extension}`;
    if (!taken(candidate)) return candidate;
  }
}
