/**
 * One SQLite write transaction, shared by the metadata store and the host's state database: `BEGIN IMMEDIATE`,
 * the body, `COMMIT`; on any failure the transaction is rolled back and the failure itself is thrown.
 *
 * SQLite ends some failed transactions by itself: a `COMMIT` that meets a full disk (SQLITE_FULL) or an I/O
 * error rolls back and leaves no transaction open. A blind `ROLLBACK` then throws "cannot rollback - no
 * transaction is active", which would hide the real cause (the disk is full) behind a message nobody can act on;
 * so it rolls back only while a transaction is still open.
 */
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
