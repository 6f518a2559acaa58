/**
 * Content hashes of files (SHA-256, hex). Hashing streams the file in chunks so Stop works inside large files.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import { CanceledError, toFolderError } from './errors.ts';

/** Bytes read per chunk when hashing or copying: large enough to stream fast, small enough to stop promptly. */
export const CHUNK_SIZE = 1024 * 1024;

const pool: Buffer[] = [];

/**
 * Runs `body` with a `CHUNK_SIZE` buffer from a small pool: a fresh megabyte per file would make the garbage
 * collector the bottleneck of syncing many small files.
 */
export async function withChunkBuffer<T>(body: (buffer: Buffer) => Promise<T>): Promise<T> {
  const buffer = pool.pop() ?? Buffer.allocUnsafe(CHUNK_SIZE);
  try {
    return await body(buffer);
  } finally {
    if (pool.length < 16) pool.push(buffer);
  }
}

let syncBuffer: Buffer | undefined;

/**
 * Runs a synchronous `body` with a `CHUNK_SIZE` buffer. Synchronous work cannot interleave, so one buffer serves
 * every such call (the pool above is for asynchronous work, where up to one buffer per copy in flight is used).
 */
export function withSyncChunkBuffer<T>(body: (buffer: Buffer) => T): T {
  const buffer = syncBuffer ?? Buffer.allocUnsafe(CHUNK_SIZE);
  syncBuffer = undefined; // taken: a nested call (there is none today) gets its own
  try {
    return body(buffer);
  } finally {
    syncBuffer = buffer;
  }
}

/** A new SHA-256 hasher, the one algorithm records are written with. */
export function createContentHasher(): Hash {
  return createHash('sha256');
}

/** The SHA-256 of a symbolic link: its target text, so a retargeted link counts as a content change. */
export function hashLinkTarget(target: string): string {
  return createContentHasher().update(target, 'utf8').digest('hex');
}

/**
 * Hashes the file at `absolutePath`, reading it in `CHUNK_SIZE` chunks and checking `signal` between chunks.
 * `displayPath` names the file in errors.
 */
export async function hashFile(absolutePath: string, displayPath: string, signal?: AbortSignal): Promise<string> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    const opened = await fs.promises.open(absolutePath, 'r');
    handle = opened;
    const hasher = createContentHasher();
    await withChunkBuffer(async (buffer) => {
      for (;;) {
        if (signal?.aborted === true) throw new CanceledError(displayPath);
        const { bytesRead } = await opened.read(buffer, 0, CHUNK_SIZE, null);
        if (bytesRead === 0) break;
        hasher.update(buffer.subarray(0, bytesRead));
      }
    });
    return hasher.digest('hex');
  } catch (error) {
    throw toFolderError(error, displayPath, 'reading');
  } finally {
    await handle?.close();
  }
}

/**
 * Hashes a file synchronously: for the last-instant check before an overwrite, where no other work may slip in
 * between the check and the write, and for small files, where one synchronous read costs less than the three
 * round trips through the thread pool of an asynchronous one. With `size` (the scanned size) it hashes
 * that many bytes, or as many as are there, without a last read to see the end: the hash then goes with that scan's
 * stat, and a file that grew since has a new size and mtime for the next scan to see.
 */
export function hashFileSync(absolutePath: string, displayPath: string, size?: number): string {
  return withSyncChunkBuffer((buffer) => {
    let descriptor: number | undefined;
    try {
      descriptor = fs.openSync(absolutePath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
      const hasher = createContentHasher();
      for (let total = 0; ; ) {
        const wanted = size === undefined ? buffer.length : Math.min(buffer.length, size - total);
        const bytesRead = wanted === 0 ? 0 : fs.readSync(descriptor, buffer, 0, wanted, null);
        if (bytesRead === 0) break;
        hasher.update(buffer.subarray(0, bytesRead));
        total += bytesRead;
      }
      return hasher.digest('hex');
    } catch (error) {
      throw toFolderError(error, displayPath, 'reading');
    } finally {
      if (descriptor !== undefined) fs.closeSync(descriptor);
    }
  });
}
