/**
 * What a plan assumed about a destination path, and the check made just before it is overwritten, deleted or
 * created. A mismatch raises `DestinationChangedError`: the caller turns it into a conflict or a rescan, never an
 * overwrite.
 */
import type fs from 'node:fs';
import { hashFileSync } from './contentHash.ts';
import { changeDetail, DestinationChangedError, type ChangeDetail, type EntryKind } from './errors.ts';

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

/** Where the checked file can be read, to settle by content what its stat cannot. */
export interface ContentCheck {
  readonly absolute: string;
  /** Files modified at or after this are hashed even when their stat matches (racily clean); none when absent. */
  readonly hashFromNs?: bigint;
}

/**
 * Throws `DestinationChangedError` unless `actual` (an lstat, or undefined when absent) is what was expected.
 * With `verify` and an expectation that carries a hash, the content at `verify.absolute` decides two cases its stat
 * cannot: a matching stat with an mtime at or after `hashFromNs` (racily clean) must hash the same; a file that
 * differs only in its mtime (same inode and size) passes if it still hashes the same (on FAT through FUSE a rename
 * stamps the file with the time of the rename, so a move into the trash changes the mtime of unchanged content).
 */
export function checkDestination(relativePath: string, actual: fs.BigIntStats | undefined, expected: DestinationExpectation, verify?: ContentCheck): void {
  const mismatch = describeMismatch(actual, expected);
  const hashed = () => verify !== undefined && expected.kind === 'file' && expected.hash !== undefined && hashFileSync(verify.absolute, relativePath) === expected.hash;
  if (mismatch === TIME_ONLY) {
    if (hashed()) return;
    throw new DestinationChangedError(relativePath, changeDetail(mismatch));
  }
  if (mismatch !== undefined) throw new DestinationChangedError(relativePath, changeDetail(mismatch));
  if (verify?.hashFromNs === undefined || expected.kind !== 'file' || expected.hash === undefined || actual === undefined) return;
  if (actual.mtimeNs < verify.hashFromNs) return;
  if (!hashed()) throw new DestinationChangedError(relativePath, changeDetail('contentRewritten'));
}

/** The mismatch of a file whose inode and size are as expected, only its mtime not. */
const TIME_ONLY = 'modified';

function describeMismatch(actual: fs.BigIntStats | undefined, expected: DestinationExpectation): ChangeDetail | undefined {
  if (actual === undefined) return expected.kind === 'absent' ? undefined : 'removed';
  const kind: EntryKind = actual.isFile() ? 'file' : actual.isDirectory() ? 'directory' : actual.isSymbolicLink() ? 'symlink' : 'other';
  if (expected.kind === 'absent') return `appeared.${kind}`;
  if (kind !== expected.kind) return `became.${kind}`;
  if (expected.kind === 'file') {
    if (Number(actual.size) !== expected.size) return 'sizeChanged';
    if (actual.ino !== expected.ino) return 'replaced';
    if (actual.mtimeNs !== expected.mtimeNs) return TIME_ONLY;
    return undefined;
  }
  if (expected.ino !== undefined && actual.ino !== expected.ino) return 'replaced';
  return undefined;
}
