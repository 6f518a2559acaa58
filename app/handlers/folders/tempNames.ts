/**
 * Names the folder handler reserves inside a replica: the metadata directory and temporary files. The scanner
 * skips them, the cleanup removes leftover temporaries, and nothing else may use these shapes.
 */
import { randomBytes } from 'node:crypto';

/** The per-replica metadata directory at the root (never synced). */
export const METADATA_DIR = '.synccenter';

/**
 * The name of a folder of Sync Center's metadata anywhere in a tree, never synced: a folder pair's `.synccenter`
 * (another pair's root may be a folder of this one) and an XML replica's `<file>.synccenter` beside its file. A file
 * with such a name is an ordinary file.
 */
export function isMetadataName(name: string): boolean {
  return name.endsWith(METADATA_DIR);
}

/**
 * The metadata folder a replica-relative path (its segments) lies in, if any: the root's `.synccenter` (the path
 * itself or anything under it), or a folder named as `isMetadataName` says on the way; the path's own last segment
 * counts only when `lastIsFolder`. The scanner never reports such a path, so it is never synced, written nor deleted.
 */
export function metadataFolderIn(segments: readonly string[], lastIsFolder = false): string | undefined {
  if (segments[0] === METADATA_DIR) return METADATA_DIR;
  return (lastIsFolder ? segments : segments.slice(0, -1)).find(isMetadataName);
}

// `.<name>.synccenter-<16 hex>.tmp`; the random part is fixed-length so a user file that merely contains
// "synccenter" in its name is never mistaken for one of ours and cleaned away.
const TEMP_PATTERN = /^\..*\.synccenter-[0-9a-f]{16}\.tmp$/s;

// Random bytes drawn in bulk: one system call per 512 names instead of one per name (10,000 files: 10,000 calls).
const RANDOM_POOL_NAMES = 512;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/** 16 fresh random hex digits. */
function randomHex(): string {
  if (randomOffset + 8 > randomPool.length) {
    randomPool = randomBytes(8 * RANDOM_POOL_NAMES);
    randomOffset = 0;
  }
  randomOffset += 8;
  return randomPool.toString('hex', randomOffset - 8, randomOffset);
}

/** A fresh temporary name for writing `name` in the same directory (same file system, so rename is atomic). */
export function tempNameFor(name: string): string {
  // Keep the temp name within NAME_MAX (255 bytes) even for long names.
  const base = Buffer.byteLength(name) > 200 ? name.slice(0, 60) : name;
  return `.${base}.synccenter-${randomHex()}.tmp`;
}

/**
 * A visible name beside `diskPath` for a file that must step aside within one batch (`<path>.synccenter-moving-<16
 * hex>`). Not a temporary name: left behind by a crash, it is a user's file under an odd name, synced as such.
 */
export function asideNameFor(diskPath: string): string {
  return `${diskPath}.synccenter-moving-${randomHex()}`;
}

/** True for a name produced by `tempNameFor` (one path segment, not a path). */
export function isTempName(name: string): boolean {
  return TEMP_PATTERN.test(name);
}
