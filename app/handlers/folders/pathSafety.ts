/**
 * Replica-relative names: validation, resolution inside a root, and the keys that decide when two names are one
 * file (Unicode normalization) or collide (case folding on a case-insensitive side).
 *
 * A replica-relative name is '/'-separated on every platform and never starts or ends with '/'.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FileInTheWayError, PathOutsideRootError, RootMissingError, UnsafeNameError } from './errors.ts';
import { METADATA_DIR, tempNameFor } from './tempNames.ts';

/**
 * Checks a replica-relative name and returns its segments. Refuses NUL, absolute paths (POSIX, drive letters,
 * UNC), backslashes (a separator on Windows, so a name with one would mean a different path there), empty, `.`
 * and `..` segments.
 */
export function validateRelativePath(relativePath: string): string[] {
  if (relativePath.length === 0) throw new UnsafeNameError(relativePath, 'empty');
  if (relativePath.includes('\0')) throw new UnsafeNameError(relativePath, 'nul');
  if (relativePath.includes('\\')) throw new UnsafeNameError(relativePath, 'backslash');
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath)) {
    throw new UnsafeNameError(relativePath, 'absolute');
  }
  const segments = relativePath.split('/');
  for (const segment of segments) {
    if (segment === '') throw new UnsafeNameError(relativePath, 'emptySegment');
    if (segment === '.' || segment === '..') throw new UnsafeNameError(relativePath, 'dotSegment', { segment });
  }
  return segments;
}

/**
 * Resolves a replica-relative name to an absolute path inside `root`, after validation. On POSIX a validated
 * name (no NUL, no leading '/', no empty, `.` or `..` segment) cannot leave the root, so it is appended to the
 * resolved root as is: this runs several times per copied file, and `path.resolve` and `path.relative` cost more
 * than the system call beside them. Elsewhere (Windows: drive-relative segments such as `C:`) the containment
 * check compares resolved paths with `path.relative` (never a string prefix, which would accept `/data2` for `/data`).
 */
export function resolveInsideRoot(root: string, relativePath: string): string {
  const segments = validateRelativePath(relativePath);
  const resolvedRoot = resolvedRootOf(root);
  if (path.sep === '/') return resolvedRoot === '/' ? `/${relativePath}` : `${resolvedRoot}/${relativePath}`;
  const absolute = path.resolve(resolvedRoot, ...segments);
  const back = path.relative(resolvedRoot, absolute);
  if (back === '' || back === '..' || back.startsWith(`..${path.sep}`) || path.isAbsolute(back)) {
    throw new PathOutsideRootError(relativePath, resolvedRoot);
  }
  return absolute;
}

/**
 * Like `resolveInsideRoot`, and also refuses when an existing ancestor inside the root is a symbolic link or not
 * a directory: writing through such a link would land outside the root (links are synced, never followed).
 */
export function resolveForWrite(root: string, relativePath: string): string {
  const absolute = resolveInsideRoot(root, relativePath);
  const segments = relativePath.split('/');
  let current = resolvedRootOf(root);
  for (let index = 0; index < segments.length - 1; index += 1) {
    current = path.join(current, segments[index] as string);
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (stat === undefined) break; // the rest will be created as real directories
    if (stat.isSymbolicLink()) throw new PathOutsideRootError(relativePath, path.resolve(root));
    if (!stat.isDirectory()) throw new FileInTheWayError(relativePath, path.relative(root, current).split(path.sep).join('/'));
  }
  return absolute;
}

// The last few roots resolved: a sync resolves names in its two roots over and over.
const resolvedRoots = new Map<string, string>();

/** `path.resolve(root)`, remembered for the last few absolute roots (a relative one depends on the working folder). */
function resolvedRootOf(root: string): string {
  if (!path.isAbsolute(root)) return path.resolve(root);
  let resolved = resolvedRoots.get(root);
  if (resolved === undefined) {
    if (resolvedRoots.size >= 8) resolvedRoots.clear();
    resolved = path.resolve(root);
    resolvedRoots.set(root, resolved);
  }
  return resolved;
}

/**
 * Creates `directory` (absolute, inside `root`) with its missing parents, but never the root itself: when the
 * root is gone (the folder moved away or its drive was removed during the sync) it throws `RootMissingError`
 * instead of recreating it. (`FolderReplica` also checks, per batch, that the root still holds its metadata.)
 */
export function makeFolderInside(root: string, directory: string): void {
  if (!fs.existsSync(root)) throw new RootMissingError(root, 'it disappeared during the sync; nothing more was written there');
  fs.mkdirSync(directory, { recursive: true });
}

/** True while `root` holds a `.synccenter` folder (false once it moved away or its drive was unmounted). */
export function holdsMetadata(root: string): boolean {
  return fs.existsSync(path.join(root, METADATA_DIR));
}

/** Converts an absolute path inside `root` to its replica-relative name ('/'-separated). */
export function toRelativePath(root: string, absolute: string): string {
  const relative = path.relative(path.resolve(root), absolute);
  return relative.split(path.sep).join('/');
}

/** The key under which names equal after Unicode normalization are one file (NFC, as most of the world writes). */
export function normalizationKey(relativePath: string): string {
  return NON_ASCII.test(relativePath) ? relativePath.normalize('NFC') : relativePath; // ASCII is always NFC
}

const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * The key under which names differing only in case collide on a case-insensitive side. Upper- then lower-casing
 * approximates full case folding (`ß` → `SS` → `ss`), and NFC first so `é` and `e\u0301` fold alike.
 */
export function caseFoldKey(relativePath: string): string {
  return relativePath.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/**
 * Tells whether the file system at `root` keeps Unix permission bits (FAT and exFAT do not: chmod fails there, or
 * changes nothing), with a temporary file whose mode is set and read back.
 */
export function probeModeSupport(root: string): boolean {
  const probe = path.join(root, tempNameFor('mode-probe'));
  fs.writeFileSync(probe, '', { flag: 'wx', mode: 0o600 });
  try {
    fs.chmodSync(probe, 0o640);
    return (fs.statSync(probe).mode & 0o777) === 0o640;
  } catch {
    return false;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/**
 * Tells whether the file system at `root` treats names case-insensitively, by creating a temporary file with a
 * lower-case name and looking it up in upper case. The probe uses a reserved temporary name, so a crash leaves
 * nothing the cleanup would not remove. Some file systems (FAT through FUSE) number a file differently per
 * spelling, so a match by inode is not required: the upper-case name is fresh and random, so if it resolves
 * without being listed, it resolved to the probe.
 */
export function probeCaseInsensitive(root: string): boolean {
  const name = tempNameFor('case-probe');
  const lower = path.join(root, name);
  const upper = path.join(root, name.toUpperCase());
  fs.writeFileSync(lower, '', { flag: 'wx' });
  try {
    const a = fs.statSync(lower, { bigint: true });
    const b = fs.statSync(upper, { bigint: true, throwIfNoEntry: false });
    if (b === undefined) return false;
    return (b.ino === a.ino && b.dev === a.dev) || !fs.readdirSync(root).includes(path.basename(upper));
  } finally {
    fs.rmSync(lower, { force: true });
  }
}
