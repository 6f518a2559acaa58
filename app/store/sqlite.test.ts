import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../engine/testSupport.ts';
import { inTransaction, isDiskFull } from './sqlite.ts';

/** A WAL database that cannot grow past its current size: a real SQLITE_FULL, the way a full disk ends a commit. */
function fullDatabase(): DatabaseSync {
  const db = new DatabaseSync(path.join(tempDir(), 'full.db'));
  db.exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x BLOB); INSERT INTO t VALUES ('kept')");
  const { page_count: pages } = db.prepare('PRAGMA page_count').get() as { page_count: number };
  db.exec(`PRAGMA max_page_count = ${pages}`);
  return db;
}

describe('inTransaction', () => {
  it('commits the body and returns its value', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (x TEXT)');
    expect(inTransaction(db, () => db.prepare("INSERT INTO t VALUES ('a')").run().changes)).toBe(1);
    expect(db.isTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });

  it('rolls back everything the body did when it throws, and throws that error', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (x TEXT)');
    const failure = new Error('body failed');
    expect(() => inTransaction(db, () => {
      db.exec("INSERT INTO t VALUES ('a')");
      throw failure;
    })).toThrow(failure);
    expect(db.isTransaction).toBe(false);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('a full database throws SQLite\'s own "full" error, not "cannot rollback", and keeps what it held', () => {
    const db = fullDatabase();
    let thrown: unknown;
    try {
      inTransaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(200_000)));
    } catch (error) {
      thrown = error;
    }
    // SQLite rolled the transaction back itself; a blind ROLLBACK would have replaced this error with its own.
    expect(thrown).toMatchObject({ errcode: 13, message: 'database or disk is full' });
    expect(isDiskFull(thrown)).toBe(true);
    expect(db.isTransaction).toBe(false);
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 'kept' }]);
    // And the connection still works: the next transaction goes through.
    inTransaction(db, () => db.exec('DELETE FROM t'));
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });

  it('isDiskFull tells SQLITE_FULL from other errors', () => {
    expect(isDiskFull(Object.assign(new Error('x'), { errcode: 13 }))).toBe(true);
    expect(isDiskFull(Object.assign(new Error('x'), { errcode: 1 }))).toBe(false);
    expect(isDiskFull(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(false);
    expect(isDiskFull(undefined)).toBe(false);
  });
});
