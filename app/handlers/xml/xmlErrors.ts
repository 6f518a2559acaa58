/** Errors of the XML-file replica, each with a stable code and a message that says what to fix. */
import { SyncError } from '../../engine/errors.ts';

/** A problem with the content of an XML replica file. Nothing was written. */
export class XmlReplicaError extends SyncError {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;

  constructor(code: string, file: string, message: string, position?: { line: number; column: number }, advice = 'fix the file and sync again.') {
    const where = position ? `${file}, line ${position.line}, column ${position.column}` : file;
    super(code, `${where}: ${message} Nothing was written; ${advice}`);
    this.name = 'XmlReplicaError';
    this.file = file;
    this.line = position?.line ?? null;
    this.column = position?.column ?? null;
  }
}
