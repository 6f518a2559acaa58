/**
 * Time as a replica's file system sees it: the "now" a scan starts at, and the granularity of the timestamps
 * the file system records. Together they decide which files are "racily clean" (see `changeDetector.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { tempNameFor } from './tempNames.ts';

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/**
 * The granularity assumed when it cannot be measured (read-only root, odd file system): FAT's 2 s, the
 * coarsest in common use.
 */
export const DEFAULT_GRANULARITY_NS = 2n * NS_PER_S;

/**
 * The least granularity we ever assume, even where the file system stores nanoseconds (ext4, tmpfs, btrfs,
 * APFS, NTFS' 100 ns). Stored precision is not the precision of the clock that sets mtimes: Linux stamps files
 * from a coarse clock that advances once per scheduler tick (1–10 ms), network file systems use the server's
 * clock, and NTP may step or slew the local clock. A file rewritten within one tick keeps its mtime to the last
 * digit. A floor of one second costs almost nothing (only files written in the second before a scan are
 * re-hashed) and covers all of these.
 */
export const MIN_GRANULARITY_NS = NS_PER_S;

/** Wall-clock now in nanoseconds (millisecond precision). */
export function wallClockNs(now: number = Date.now()): bigint {
  return BigInt(Math.floor(now)) * NS_PER_MS;
}

/**
 * The scan start in the file system's own clock: the earlier of the wall clock and the mtime of a file written
 * now. A share whose server clock lags ours would otherwise stamp a rewrite "before" our scan started; a coarse
 * local clock likewise. Falls back to the wall clock when the root is not writable.
 */
export function fileSystemNowNs(root: string, now: number = Date.now()): bigint {
  const wall = wallClockNs(now);
  const probe = path.join(root, tempNameFor('clock-probe'));
  try {
    fs.writeFileSync(probe, 'x', { flag: 'wx' });
    const stamped = fs.lstatSync(probe, { bigint: true }).mtimeNs;
    return stamped < wall ? stamped : wall;
  } catch {
    return wall;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/**
 * Measures the timestamp granularity the file system stores, by setting an mtime with a fractional part on a
 * probe file and reading back how much survived; returns at least `MIN_GRANULARITY_NS`, and
 * `DEFAULT_GRANULARITY_NS` when it cannot measure. Measure once per root and keep the result.
 */
export function measureTimestampGranularity(root: string): bigint {
  const probe = path.join(root, tempNameFor('granularity-probe'));
  try {
    fs.writeFileSync(probe, '', { flag: 'wx' });
    // An odd second plus a fraction with all nine digits set: 1982-09-04, inside every file system's range.
    fs.utimesSync(probe, 400_000_001.987_654_3, 400_000_001.987_654_3);
    const stored = fs.lstatSync(probe, { bigint: true }).mtimeNs;
    const granularity = storedGranularity(stored);
    return granularity > MIN_GRANULARITY_NS ? granularity : MIN_GRANULARITY_NS;
  } catch {
    return DEFAULT_GRANULARITY_NS;
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

/** The coarsest power-of-ten (or FAT's 2 s) step consistent with a stored odd-second-plus-fraction mtime. */
function storedGranularity(stored: bigint): bigint {
  const seconds = stored / NS_PER_S;
  const fraction = stored % NS_PER_S;
  if (fraction === 0n) return seconds % 2n === 0n ? 2n * NS_PER_S : NS_PER_S;
  let step = 1n;
  while (step < NS_PER_S && fraction % (step * 10n) === 0n) step *= 10n;
  return step;
}
