/**
 * Opens the host's state database (`state.db` in the state directory): WAL, an application id that marks the
 * file as ours, and the numbered schema files in `schema/` applied in order inside a transaction each.
 * A foreign or corrupt file is a clear error, never silently replaced.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { ControlError } from '../../control/result.ts';
import { hostText } from '../../runtime/hostText.ts';
import { driveIsFull, inTransaction, isDiskFull } from '../sqlite.ts';

/** "SYNC" as a 32-bit integer, stored in the SQLite header's application id. */
export const applicationId = 0x53594e43;
export const stateFileName = 'state.db';

const schemaDir = fileURLToPath(new URL('./schema/', import.meta.url));

/** The numbered schema files, in order. */
export function schemaFiles(): { version: number; file: string }[] {
  return readdirSync(schemaDir)
    .map((file) => ({ file, match: /^(\d+)-[a-z0-9-]+\.sql$/.exec(file) }))
    .filter((entry) => entry.match !== null)
    .map((entry) => ({ version: Number(entry.match?.[1]), file: path.join(schemaDir, entry.file) }))
    .sort((a, b) => a.version - b.version);
}

/** Opens (creating if needed) and migrates the state database. */
export function openStateDatabase(stateDir: string): DatabaseSync {
  const file = path.join(stateDir, stateFileName);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  } catch (error) {
    db?.close();
    throw corrupt(file, error);
  }
  try {
    checkOwnership(db, file);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof ControlError) throw error;
    throw corrupt(file, error);
  }
}

function corrupt(file: string, error: unknown): ControlError {
  // A full disk is not damage: nothing in the file is wrong, there is only no room to write it.
  if (isDiskFull(error) || driveIsFull(path.dirname(file))) return new ControlError('NO_SPACE', hostText()('error.stateNoSpace', { file }));
  const reason = error instanceof Error ? error.message : String(error);
  return new ControlError('STATE_CORRUPT', hostText()('error.stateCorrupt', { file, reason }));
}

function checkOwnership(db: DatabaseSync, file: string): void {
  const id = Number((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id);
  if (id === applicationId) return;
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
  if (id !== 0 || Number(tables.n) > 0) {
    throw new ControlError('STATE_FOREIGN', hostText()('error.stateForeign', { file }));
  }
}

function migrate(db: DatabaseSync): void {
  const current = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  const files = schemaFiles();
  const latest = files.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new ControlError('STATE_TOO_NEW', hostText()('error.stateTooNew', { current, latest }));
  }
  for (const { version, file } of files.filter((entry) => entry.version > current)) {
    inTransaction(db, () => {
      db.exec(readFileSync(file, 'utf8'));
      db.exec(`PRAGMA application_id = ${applicationId}; PRAGMA user_version = ${version};`);
    });
  }
}
