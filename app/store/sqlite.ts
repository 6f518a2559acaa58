/**
 * SQLite helpers shared by the metadata store and the host's state database.
 *
 * `inTransaction`: one write transaction, `BEGIN IMMEDIATE`, the body, `COMMIT`; on any failure the transaction is
 * rolled back and the failure itself is thrown.
 *
 * SQLite ends some failed transactions by itself: a `COMMIT` that meets a full disk (SQLITE_FULL) or an I/O
 * error rolls back and leaves no transaction open. A blind `ROLLBACK` then throws "cannot rollback - no
 * transaction is active", which would hide the real cause (the disk is full) behind a message nobody can act on;
 * so it rolls back only while a transaction is still open.
 */
import fs from 'node:fs';
import type { DatabaseSync } from 'node:sqlite';

/** SQLite's primary result code SQLITE_FULL: the database or the disk holding it is full. */
const SQLITE_FULL = 13;

/** Runs `body` in one write transaction of `db`: all of it is committed, or none of it. */
export function inTransaction<T>(db: DatabaseSync, body: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = body();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** Whether `error` is SQLite saying that the database or the disk holding it is full. */
export function isDiskFull(error: unknown): boolean {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  // Extended result codes keep the primary code in their low byte.
  return typeof errcode === 'number' && (errcode & 0xff) === SQLITE_FULL;
}

/**
 * Whether the drive holding `directory` is (nearly) full: less than `ROOM_TO_OPEN` free. Opening a WAL database
 * creates and sizes its shared-memory index; on a full drive that fails as a mere "disk I/O error"
 * (SQLITE_IOERR_SHMSIZE), which this tells apart from damage. False where the file system reports no size.
 */
export function driveIsFull(directory: string): boolean {
  try {
    const space = fs.statfsSync(directory);
    return space.blocks > 0 && space.bavail * space.bsize < ROOM_TO_OPEN;
  } catch {
    return false;
  }
}

/** Free space under which opening or writing a database is bound to fail: a WAL index and a few pages. */
const ROOM_TO_OPEN = 256 * 1024;
