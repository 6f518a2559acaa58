/**
 * Tells a folder pair's real changes from a sync's own writes without a scan: a changed path still needs a sync
 * only while the two sides differ there. A sync leaves both sides equal (the folder handler copies content and
 * modification time), so the notifications its writes cause find nothing to do, however late they arrive, while
 * an edit made during the sync, or right after it, still differs and starts the next one. Only the reported paths
 * are looked at; excluded paths never need a sync.
 */
import { lstat, open, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';

/** Files up to this size are compared byte for byte when size and time agree; larger ones by size and time. */
const compareBytesUpTo = 16 * 1024 * 1024;
/** The coarsest timestamp granularity among the file systems a pair may span (FAT: 2 s). */
const timeToleranceMs = 2000;

/** The relative paths among `paths` where `left` and `right` differ (not excluded), in the given order. */
export async function differingPaths(left: string, right: string, paths: readonly string[], exclude: readonly string[] = []): Promise<string[]> {
  const excluded = exclude.length > 0 ? ignore().add([...exclude]) : null;
  const differing: string[] = [];
  for (const relative of paths) {
    if (excluded !== null && isExcluded(excluded, relative)) continue;
    if (!(await sameOnBothSides(path.join(left, relative), path.join(right, relative)))) differing.push(relative);
  }
  return differing;
}

function isExcluded(matcher: ReturnType<typeof ignore>, relative: string): boolean {
  const posix = relative.split(path.sep).join('/');
  return posix.length > 0 && matcher.ignores(posix);
}

async function sameOnBothSides(a: string, b: string): Promise<boolean> {
  const [statA, statB] = await Promise.all([lstatOrNull(a), lstatOrNull(b)]);
  if (statA === null || statB === null) return statA === statB;
  if (statA.isDirectory() || statB.isDirectory()) return statA.isDirectory() && statB.isDirectory();
  if (statA.isSymbolicLink() || statB.isSymbolicLink()) {
    return statA.isSymbolicLink() && statB.isSymbolicLink() && (await readlink(a)) === (await readlink(b));
  }
  if (statA.size !== statB.size || Math.abs(statA.mtimeMs - statB.mtimeMs) > timeToleranceMs) return false;
  return statA.size > compareBytesUpTo || (await sameBytes(a, b));
}

async function lstatOrNull(file: string): Promise<Stats | null> {
  try {
    return await lstat(file);
  } catch {
    return null;
  }
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const files = await Promise.allSettled([open(a, 'r'), open(b, 'r')]);
  const [fileA, fileB] = files.map((file) => (file.status === 'fulfilled' ? file.value : null));
  try {
    if (fileA === null || fileB === null || fileA === undefined || fileB === undefined) return false;
    const size = 64 * 1024;
    const bufferA = Buffer.alloc(size);
    const bufferB = Buffer.alloc(size);
    for (let position = 0; ; position += size) {
      const [readA, readB] = await Promise.all([fileA.read(bufferA, 0, size, position), fileB.read(bufferB, 0, size, position)]);
      if (readA.bytesRead !== readB.bytesRead || !bufferA.subarray(0, readA.bytesRead).equals(bufferB.subarray(0, readB.bytesRead))) return false;
      if (readA.bytesRead < size) return true;
    }
  } catch {
    // A side changing or vanishing while read: let the sync look at it.
    return false;
  } finally {
    await Promise.all([fileA?.close(), fileB?.close()]);
  }
}
