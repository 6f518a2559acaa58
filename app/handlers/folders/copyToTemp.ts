/**
 * The first half of a file transfer: copy a source file into a fresh temporary file beside its destination,
 * streaming with progress and Stop, hashing on the way, proving the source did not change during the copy, and
 * making the copy durable (mode, mtime, fsync) before anything in the destination is touched.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CHUNK_SIZE, createContentHasher, withChunkBuffer, withSyncChunkBuffer } from './contentHash.ts';
import { CanceledError, changeDetail, SourceChangedError, toFolderError, type ChangeDetail } from './errors.ts';
import { makeFolderInside, resolveForWrite, resolveInsideRoot } from './pathSafety.ts';
import { tempNameFor } from './tempNames.ts';

/** The stat a plan saw for a file; a change in any of these means the file is not the one planned for. */
export interface StatIdentity {
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

/** The source as its replica scanned it, with what it knows of the content. */
export interface ExpectedSource extends StatIdentity {
  readonly ctimeNs?: bigint;
  /** The content hash the source replica recorded for this stat. */
  readonly hash?: string;
  /**
   * The source replica's scan start minus its timestamp granularity: a file last modified before this whose
   * ctime has not moved since the scan still holds the bytes `hash` was computed from (git's racy-clean rule),
   * so a small copy need not hash them again.
   */
  readonly stableBeforeNs?: bigint;
  /** False when the source's file system keeps no Unix modes (FAT): the copy gets `DEFAULT_FILE_MODE`, not its fake. */
  readonly keepsModes?: boolean;
}

/** The mode of a copy whose source has none (a file from a FAT drive). */
export const DEFAULT_FILE_MODE = 0o644;

/** What to copy where. */
export interface CopyRequest {
  readonly sourceRoot: string;
  readonly sourcePath: string;
  readonly destinationRoot: string;
  readonly destinationPath: string;
  /** The source as scanned; a different source at copy time fails with `SourceChangedError`. */
  readonly expectedSource?: ExpectedSource;
  /** The copy's permission bits, when not the source's (its side keeps no modes: the destination's own, say). */
  readonly mode?: number;
  /** Skip the temp file's fsync when the caller makes the whole batch durable another way. */
  readonly skipFsync?: boolean;
}

/** A complete, durable copy waiting in a temporary file to be installed. */
export interface PreparedFile {
  readonly kind: 'file' | 'symlink';
  readonly destinationPath: string;
  /** Absolute path of the temporary file (same folder as the destination). */
  readonly tempPath: string;
  readonly size: number;
  /** The source's mtime (the temp file carries it, to the file system's precision). */
  readonly mtimeNs: bigint;
  readonly mode: number;
  /** SHA-256 of the copied bytes (of the target for links). */
  readonly hash: string;
}

/** Progress and Stop for one copy. */
export interface CopyControl {
  readonly signal?: AbortSignal;
  /** Called after each chunk with the bytes just written. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Destination folders known to exist (made or found by an earlier copy of the same batch): not created again,
   * which saves a system call or two per file. A folder removed meanwhile makes that file's copy fail, safely.
   */
  readonly madeFolders?: Set<string>;
  /** False where the destination keeps no Unix modes (FAT): the copy then takes the file system's own. */
  readonly keepModes?: boolean;
}

// Never carry set-user-id, set-group-id or sticky bits from another replica (a USB stick could plant them).
const PERMISSION_BITS = 0o777;
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * Copies the source into a temporary file beside the destination. Removes the temporary file on any failure.
 * Files that fit one chunk (most of a typical tree) are copied with synchronous calls: each asynchronous call
 * is a round trip through libuv's small thread pool, which would dominate the cost of many small files.
 */
export async function copyToTemp(request: CopyRequest, control: CopyControl = {}): Promise<PreparedFile> {
  if (control.signal?.aborted === true) throw new CanceledError(request.sourcePath);
  return isSmallCopy(request) ? copySmallToTemp(request, control) : copyLargeToTemp(request, control);
}

/** A copy of one chunk or less (by the scanned size), done with synchronous calls (`copySmallToTemp`). */
export function isSmallCopy(request: CopyRequest): boolean {
  return request.expectedSource !== undefined && request.expectedSource.size <= CHUNK_SIZE;
}

async function copyLargeToTemp(request: CopyRequest, control: CopyControl): Promise<PreparedFile> {
  const sourceAbsolute = resolveInsideRoot(request.sourceRoot, request.sourcePath);
  const destinationAbsolute = resolveForWrite(request.destinationRoot, request.destinationPath);
  let source: fs.promises.FileHandle | undefined;
  let temp: fs.promises.FileHandle | undefined;
  const tempPath = path.join(path.dirname(destinationAbsolute), tempNameFor(path.basename(destinationAbsolute)));
  try {
    // O_NOFOLLOW: a source swapped for a link since the scan must not make us read through it.
    source = await fs.promises.open(sourceAbsolute, fs.constants.O_RDONLY | NO_FOLLOW);
    const before = await source.stat({ bigint: true });
    checkSource(request, before, request.expectedSource, 'differsFromScan');
    if (control.madeFolders?.has(path.dirname(destinationAbsolute)) !== true) {
      makeFolderInside(request.destinationRoot, path.dirname(destinationAbsolute));
      control.madeFolders?.add(path.dirname(destinationAbsolute));
    }
    const mode = modeOf(request, before);
    const created = creation(control.keepModes === false ? undefined : mode);
    temp = await fs.promises.open(tempPath, 'wx', created.mode);
    const { bytes, hash } = await pump(source, temp, request.sourcePath, control);
    const after = await source.stat({ bigint: true });
    checkSource(request, after, identityOf(before), 'writtenDuringCopy');
    if (bytes !== Number(after.size)) throw new SourceChangedError(request.sourcePath, changeDetail('readBytes', { bytes, size: Number(after.size) }));
    await finishTemp(temp, created.chmod ? mode : undefined, before, request.skipFsync === true);
    return { kind: 'file', destinationPath: request.destinationPath, tempPath, size: bytes, mtimeNs: before.mtimeNs, mode, hash };
  } catch (error) {
    await temp?.close().catch(() => undefined);
    temp = undefined;
    await fs.promises.rm(tempPath, { force: true });
    throw toFolderError(error, request.sourcePath, 'copying');
  } finally {
    await source?.close();
    await temp?.close();
  }
}

/**
 * The one-chunk path of `copyToTemp` (`isSmallCopy`): the same checks, synchronous calls, the one shared synchronous
 * buffer. Synchronous, so a worker thread of `FileWorkPool` can run it too; `onBytes` is then called on return.
 */
export function copySmallToTemp(request: CopyRequest, control: Omit<CopyControl, 'signal'>): PreparedFile {
  const sourceAbsolute = resolveInsideRoot(request.sourceRoot, request.sourcePath);
  const destinationAbsolute = resolveForWrite(request.destinationRoot, request.destinationPath);
  const tempPath = path.join(path.dirname(destinationAbsolute), tempNameFor(path.basename(destinationAbsolute)));
  return withSyncChunkBuffer((buffer): PreparedFile => {
    let source: number | undefined;
    let temp: number | undefined;
    try {
      source = fs.openSync(sourceAbsolute, fs.constants.O_RDONLY | NO_FOLLOW);
      const before = fs.fstatSync(source, { bigint: true });
      checkSource(request, before, request.expectedSource, 'differsFromScan');
      const bytes = readAll(source, buffer, Number(before.size));
      const after = fs.fstatSync(source, { bigint: true });
      checkSource(request, after, identityOf(before), 'writtenDuringCopy');
      if (bytes !== Number(after.size)) throw new SourceChangedError(request.sourcePath, changeDetail('readBytes', { bytes, size: Number(after.size) }));
      const parent = path.dirname(destinationAbsolute);
      if (control.madeFolders?.has(parent) !== true) {
        makeFolderInside(request.destinationRoot, parent);
        control.madeFolders?.add(parent);
      }
      const mode = modeOf(request, before);
      const created = creation(control.keepModes === false ? undefined : mode);
      temp = fs.openSync(tempPath, 'wx', created.mode);
      const chunk = buffer.subarray(0, bytes);
      for (let written = 0; written < bytes; ) written += fs.writeSync(temp, chunk, written, bytes - written, written);
      if (created.chmod) fs.fchmodSync(temp, mode);
      fs.futimesSync(temp, nsToSeconds(before.atimeNs), nsToSeconds(before.mtimeNs));
      if (request.skipFsync !== true) fs.fsyncSync(temp);
      control.onBytes?.(bytes);
      const hash = knownHash(request.expectedSource, before, after) ?? createContentHasher().update(chunk).digest('hex');
      return { kind: 'file', destinationPath: request.destinationPath, tempPath, size: bytes, mtimeNs: before.mtimeNs, mode, hash };
    } catch (error) {
      if (temp !== undefined) fs.closeSync(temp);
      temp = undefined;
      fs.rmSync(tempPath, { force: true });
      throw toFolderError(error, request.sourcePath, 'copying');
    } finally {
      if (source !== undefined) fs.closeSync(source);
      if (temp !== undefined) fs.closeSync(temp);
    }
  });
}

/** The copy's mode: as requested, else the source's permission bits, or the default where the source keeps none. */
function modeOf(request: CopyRequest, source: fs.BigIntStats): number {
  if (request.mode !== undefined) return request.mode & PERMISSION_BITS;
  return request.expectedSource?.keepsModes === false ? DEFAULT_FILE_MODE : Number(source.mode) & PERMISSION_BITS;
}

/**
 * How a temporary file is created: with its final permission bits where the process umask strips none of them
 * (one journal operation less per file than a chmod afterwards), else private (0600) and chmod'ed once complete.
 * `mode` undefined: the destination keeps no modes, nothing to give. Windows: always the latter (a mode without
 * write permission would make the file read-only there). Should the umask change after it was read, the final
 * mode is still right: the install compares the file's mode with the write's and fixes it (`withMode`).
 */
function creation(mode: number | undefined): { readonly mode: number; readonly chmod: boolean } {
  if (mode === undefined) return { mode: 0o600, chmod: false };
  const mask = process.platform === 'win32' ? undefined : processUmask();
  return mask !== undefined && (mode & mask) === 0 ? { mode, chmod: false } : { mode: 0o600, chmod: true };
}

let umask: number | null | undefined;

/**
 * The process umask, read once from `/proc/self/status` (Linux 4.7+); undefined where that is unavailable.
 * `process.umask()` would set it twice to read it, racing with other threads, and is deprecated for that.
 */
export function processUmask(): number | undefined {
  if (umask === undefined) {
    try {
      const line = /^Umask:\s*([0-7]+)$/m.exec(fs.readFileSync('/proc/self/status', 'latin1'));
      umask = line?.[1] === undefined ? null : Number.parseInt(line[1], 8);
    } catch {
      umask = null;
    }
  }
  return umask ?? undefined;
}

/** The source replica's hash when it provably still describes the bytes just copied (see `ExpectedSource`). */
function knownHash(expected: ExpectedSource | undefined, before: fs.BigIntStats, after: fs.BigIntStats): string | undefined {
  if (expected?.hash === undefined || expected.ctimeNs === undefined || expected.stableBeforeNs === undefined) return undefined;
  const unchanged = before.ctimeNs === expected.ctimeNs && after.ctimeNs === expected.ctimeNs;
  return unchanged && expected.mtimeNs < expected.stableBeforeNs ? expected.hash : undefined;
}

/**
 * Reads a whole (small) file of `size` bytes (its fstat) into `buffer`, stopping there rather than reading once
 * more to see the end: a file that grew meanwhile shows a larger size in the fstat after the read, which the
 * caller compares with the bytes read. A file grown past the buffer reads as a changed source.
 */
function readAll(descriptor: number, buffer: Buffer, size: number): number {
  const limit = Math.min(size, buffer.length);
  let total = 0;
  for (let read = -1; read !== 0 && total < limit; total += read) read = fs.readSync(descriptor, buffer, total, buffer.length - total, total);
  return total;
}

/** Streams `source` into `temp`, hashing and reporting, checking Stop between chunks. */
async function pump(source: fs.promises.FileHandle, temp: fs.promises.FileHandle, displayPath: string, control: CopyControl) {
  const hasher = createContentHasher();
  let bytes = 0;
  await withChunkBuffer(async (buffer) => {
    for (;;) {
      if (control.signal?.aborted === true) throw new CanceledError(displayPath);
      const { bytesRead } = await source.read(buffer, 0, CHUNK_SIZE, bytes);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hasher.update(chunk);
      await writeAll(temp, chunk, bytes);
      bytes += bytesRead;
      control.onBytes?.(bytesRead);
    }
  });
  return { bytes, hash: hasher.digest('hex') };
}

async function writeAll(handle: fs.promises.FileHandle, chunk: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    const result = await handle.write(chunk, written, chunk.length - written, position + written);
    written += result.bytesWritten;
  }
}

/** Mode and mtime first, fsync last, so the metadata is as durable as the bytes. */
async function finishTemp(temp: fs.promises.FileHandle, mode: number | undefined, source: fs.BigIntStats, skipFsync: boolean): Promise<void> {
  if (mode !== undefined) await temp.chmod(mode);
  // utimes takes seconds as a double: about a quarter-microsecond of precision today, the best Node offers.
  await temp.utimes(nsToSeconds(source.atimeNs), nsToSeconds(source.mtimeNs));
  if (!skipFsync) await temp.sync();
}

/** Nanoseconds to fractional seconds, splitting first so the integer part is not rounded away. */
export function nsToSeconds(ns: bigint): number {
  return Number(ns / 1_000_000_000n) + Number(ns % 1_000_000_000n) / 1e9;
}

function identityOf(stat: fs.BigIntStats): StatIdentity {
  return { size: Number(stat.size), mtimeNs: stat.mtimeNs, ino: stat.ino };
}

function checkSource(request: CopyRequest, stat: fs.BigIntStats, expected: StatIdentity | undefined, detail: ChangeDetail): void {
  if (!stat.isFile()) throw new SourceChangedError(request.sourcePath, changeDetail('notRegularFile'));
  if (expected === undefined) return;
  const actual = identityOf(stat);
  if (actual.size !== expected.size || actual.mtimeNs !== expected.mtimeNs || actual.ino !== expected.ino) {
    throw new SourceChangedError(request.sourcePath, changeDetail(detail));
  }
}

/** Creates a symbolic link to `target` under a temporary name beside the destination, ready to install. */
export function linkToTemp(destinationRoot: string, destinationPath: string, target: string, hash: string): PreparedFile {
  const destinationAbsolute = resolveForWrite(destinationRoot, destinationPath);
  const tempPath = path.join(path.dirname(destinationAbsolute), tempNameFor(path.basename(destinationAbsolute)));
  try {
    makeFolderInside(destinationRoot, path.dirname(destinationAbsolute));
    fs.symlinkSync(target, tempPath);
  } catch (error) {
    throw toFolderError(error, destinationPath, 'creating the link');
  }
  const stat = fs.lstatSync(tempPath, { bigint: true });
  return { kind: 'symlink', destinationPath, tempPath, size: Number(stat.size), mtimeNs: stat.mtimeNs, mode: 0o777, hash };
}
