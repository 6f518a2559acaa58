/**
 * What a plan assumed about a destination path, and the check made just before it is overwritten, deleted or
 * created. A mismatch raises `DestinationChangedError`: the caller turns it into a conflict or a rescan, never an
 * overwrite.
 */
import type fs from 'node:fs';
import { hashFileSync } from './contentHash.ts';
import { DestinationChangedError } from './errors.ts';

/** The destination as the plan saw it. */
export type DestinationExpectation =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'file';
      readonly size: number;
      readonly mtimeNs: bigint;
      readonly ino: bigint;
      /** The content hash the plan knew; lets a same-size rewrite within one timestamp tick be caught too. */
      readonly hash?: string;
    }
  | { readonly kind: 'symlink'; readonly ino: bigint }
  | { readonly kind: 'directory'; readonly ino?: bigint };

/** The expectation matching a scanned or recorded entry. */
export function expectationOf(entry: { kind: 'file' | 'directory' | 'symlink'; size: number; mtimeNs: bigint; ino: bigint; hash?: string } | undefined): DestinationExpectation {
  if (entry === undefined) return { kind: 'absent' };
  if (entry.kind === 'file') {
    const base = { kind: 'file', size: entry.size, mtimeNs: entry.mtimeNs, ino: entry.ino } as const;
    return entry.hash === undefined ? base : { ...base, hash: entry.hash };
  }
  if (entry.kind === 'symlink') return { kind: 'symlink', ino: entry.ino };
  return { kind: 'directory', ino: entry.ino };
}

/**
 * Throws `DestinationChangedError` unless `actual` (an lstat, or undefined when absent) is what was expected.
 * When the stat matches, the expectation carries a hash and the file's mtime is at or after `hashFromNs`
 * (racily clean: stat cannot prove it unchanged), the content at `absolute` is hashed and compared as well.
 */
export function checkDestination(relativePath: string, actual: fs.BigIntStats | undefined, expected: DestinationExpectation, verify?: { absolute: string; hashFromNs: bigint }): void {
  const mismatch = describeMismatch(actual, expected);
  if (mismatch !== undefined) throw new DestinationChangedError(relativePath, mismatch);
  if (verify === undefined || expected.kind !== 'file' || expected.hash === undefined || actual === undefined) return;
  if (actual.mtimeNs < verify.hashFromNs) return;
  if (hashFileSync(verify.absolute, relativePath) !== expected.hash) throw new DestinationChangedError(relativePath, 'its content was rewritten');
}

function describeMismatch(actual: fs.BigIntStats | undefined, expected: DestinationExpectation): string | undefined {
  if (actual === undefined) return expected.kind === 'absent' ? undefined : 'it was removed';
  const kind = actual.isFile() ? 'file' : actual.isDirectory() ? 'directory' : actual.isSymbolicLink() ? 'symlink' : 'other';
  if (expected.kind === 'absent') return `a ${kind} appeared there`;
  if (kind !== expected.kind) return `it became a ${kind}`;
  if (expected.kind === 'file') {
    if (Number(actual.size) !== expected.size) return 'its size changed';
    if (actual.mtimeNs !== expected.mtimeNs) return 'it was modified';
    if (actual.ino !== expected.ino) return 'it was replaced';
    return undefined;
  }
  if (expected.ino !== undefined && actual.ino !== expected.ino) return 'it was replaced';
  return undefined;
}
