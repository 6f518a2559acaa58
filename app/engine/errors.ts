/**
 * Errors raised by the sync engine, its metadata store and the built-in replicas. Each carries a stable `code`
 * so the error survives a process boundary (see `app/control/result.ts`) and callers can branch on it; each
 * message says what is wrong and what to do about it.
 */

/** Base class of every engine error. */
export class SyncError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SyncError';
    this.code = code;
  }
}

/** The two providers of a session use different id formats; they cannot exchange versions. */
export class IdFormatMismatchError extends SyncError {
  constructor(detail: string) {
    super('ID_FORMAT_MISMATCH', `The two replicas use different id formats (${detail}); they cannot sync with each other. Pair replicas created by the same kind of handler.`);
    this.name = 'IdFormatMismatchError';
  }
}

/** The destination is too far behind: the source purged tombstones the destination never saw. */
export class RecoveryRequiredError extends SyncError {
  constructor() {
    super('RECOVERY_REQUIRED', 'The destination replica is out of date: the source has forgotten deletions it never saw. Sync again with a recovery callback that allows a full enumeration.');
    this.name = 'RecoveryRequiredError';
  }
}

/** A provider method was called out of order (for example `endSession` without `beginSession`). */
export class InvalidOperationError extends SyncError {
  constructor(message: string) {
    super('INVALID_OPERATION', message);
    this.name = 'InvalidOperationError';
  }
}

/** Serialized knowledge could not be decoded. */
export class KnowledgeFormatError extends SyncError {
  constructor(message: string) {
    super('KNOWLEDGE_FORMAT', `Stored sync knowledge is unreadable: ${message}. The metadata may be corrupt; restore it from a backup or re-create the replica's metadata.`);
    this.name = 'KnowledgeFormatError';
  }
}

/** The metadata database is not ours (another application's file, or a newer schema). */
export class MetadataForeignError extends SyncError {
  constructor(path: string, detail: string) {
    super('METADATA_FOREIGN', `${path} is not a Sync Center metadata store (${detail}). It was left untouched; move it away if it is not needed.`);
    this.name = 'MetadataForeignError';
  }
}

/** The metadata database exists but is damaged. */
export class MetadataCorruptError extends SyncError {
  constructor(path: string, detail: string, cause?: unknown) {
    super('METADATA_CORRUPT', `The metadata store ${path} is damaged (${detail}). It was left untouched; restore it from a backup or delete it to re-create the replica's metadata.`, { cause });
    this.name = 'MetadataCorruptError';
  }
}

/**
 * The disk holding a metadata store is full: the store could not record what it was given (SQLite rolled the
 * whole transaction back, so the store still holds its previous state). Replicas write their data before their
 * metadata, so nothing is lost: the next sync with free space finds what was written and records it.
 */
export class MetadataDiskFullError extends SyncError {
  readonly path: string;
  /** The message as data (`storeError.NO_SPACE` in app/handlers/locales), for a handler to translate. */
  readonly text: { readonly key: string; readonly values: { readonly path: string } };
  constructor(path: string, cause: unknown) {
    super('NO_SPACE', `No space left to record this sync in "${path}". What was already written is kept and nothing was lost; free some space on that drive and sync again.`, { cause });
    this.name = 'MetadataDiskFullError';
    this.path = path;
    this.text = { key: 'storeError.NO_SPACE', values: { path } };
  }
}

/** The application resolved a conflict with an action the replica cannot perform. */
export class UnsupportedResolutionError extends SyncError {
  constructor(message: string) {
    super('UNSUPPORTED_RESOLUTION', message);
    this.name = 'UnsupportedResolutionError';
  }
}
