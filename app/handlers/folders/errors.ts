/**
 * Typed errors of the folder handler's file-system layer. Each carries a stable `code` (it survives a process
 * boundary, see `app/control/result.ts`) and the replica-relative `path` it concerns; each message says what is
 * wrong, where, and what the user can do about it.
 */

/** Base class of every folder-handler error. */
export class FolderError extends Error {
  readonly code: string;
  /** The path concerned (replica-relative where known, else absolute); empty when not about one path. */
  readonly path: string;
  constructor(code: string, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FolderError';
    this.code = code;
    this.path = path;
  }
}

/**
 * The replica root is absent or unmounted; nothing is deleted anywhere until the user confirms a fresh start.
 * `canStartAfresh`: the folder is there but its sync data is gone or foreign, so Sync conflicts offers that choice;
 * an absent folder can only be reconnected.
 */
export class RootMissingError extends FolderError {
  constructor(root: string, detail: string, canStartAfresh = false) {
    const remedy = canStartAfresh ? 'Reconnect the right drive or share, or choose in Sync conflicts to start this side afresh.' : 'Reconnect the drive or share (or create the folder again), then sync.';
    super('ROOT_MISSING', root, `Replica root missing: ${root} (${detail}). Nothing was deleted. ${remedy}`);
    this.name = 'RootMissingError';
  }
}

/** A name would resolve outside the replica root (through `..`, an absolute path or a symbolic link). */
export class PathOutsideRootError extends FolderError {
  constructor(path: string, root: string) {
    super('PATH_OUTSIDE_ROOT', path, `Refused "${path}": it resolves outside the replica root ${root}. The other replica may be damaged or malicious; check its file names.`);
    this.name = 'PathOutsideRootError';
  }
}

/** A name that can never be synced safely (NUL, empty segment, `..`, backslash, absolute). */
export class UnsafeNameError extends FolderError {
  constructor(path: string, reason: string) {
    super('UNSAFE_NAME', path, `Refused the name "${path.replace(/\0/g, '\\0')}": ${reason}. Rename the file on the side where it was created.`);
    this.name = 'UnsafeNameError';
  }
}

/** The destination changed after the plan was made; the caller turns it into a conflict or a rescan. */
export class DestinationChangedError extends FolderError {
  constructor(path: string, detail: string) {
    super('DESTINATION_CHANGED', path, `"${path}" changed on the destination while syncing (${detail}); it was not overwritten. Sync again to compare both versions.`);
    this.name = 'DestinationChangedError';
  }
}

/** The source changed while it was copied; the copy is discarded and the file retried on a later sync. */
export class SourceChangedError extends FolderError {
  constructor(path: string, detail: string) {
    super('SOURCE_CHANGED', path, `"${path}" changed while it was being copied (${detail}); the copy was discarded. It will be copied on the next sync once it stops changing.`);
    this.name = 'SourceChangedError';
  }
}

/** The destination file system is full (ENOSPC or EDQUOT). */
export class NoSpaceError extends FolderError {
  constructor(path: string, options?: { cause?: unknown }) {
    super('NO_SPACE', path, `No space left to write "${path}". Free some space on that drive (or empty the Sync Center trash) and sync again.`, options);
    this.name = 'NoSpaceError';
  }
}

/** The operating system refused access (EACCES or EPERM). */
export class PermissionDeniedError extends FolderError {
  constructor(path: string, action: string, options?: { cause?: unknown }) {
    super('PERMISSION_DENIED', path, `Permission denied while ${action} "${path}". Give your user read and write access to it, or exclude it from this sync.`, options);
    this.name = 'PermissionDeniedError';
  }
}

/** The file is locked or busy (EBUSY, ETXTBSY). */
export class FileLockedError extends FolderError {
  constructor(path: string, action: string, options?: { cause?: unknown }) {
    super('FILE_LOCKED', path, `"${path}" is locked or in use while ${action} it. Close the program using it; it will be retried on the next sync.`, options);
    this.name = 'FileLockedError';
  }
}

/** The operation was stopped by the user (AbortSignal). */
export class CanceledError extends FolderError {
  constructor(path: string) {
    super('CANCELED', path, `Stopped while working on "${path}". Nothing was half-written; sync again to continue.`);
    this.name = 'CanceledError';
  }
}

/** Any other I/O failure, with the system code kept in the message. */
export class FileSystemError extends FolderError {
  constructor(path: string, action: string, systemCode: string, options?: { cause?: unknown }) {
    super('IO_ERROR', path, `Could not complete ${action} "${path}" (${systemCode}). Check the drive and sync again.`, options);
    this.name = 'FileSystemError';
  }
}

/** The system error code of a Node error (`ENOENT`, …), or undefined. */
export function systemCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps a Node file-system error to a typed folder error; typed errors pass through unchanged.
 * `action` is a verb phrase such as "reading" or "writing".
 */
export function toFolderError(error: unknown, path: string, action: string): FolderError {
  if (error instanceof FolderError) return error;
  const code = systemCode(error) ?? 'UNKNOWN';
  const options = { cause: error };
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new NoSpaceError(path, options);
    case 'EACCES':
    case 'EPERM':
      return new PermissionDeniedError(path, action, options);
    case 'EBUSY':
    case 'ETXTBSY':
      return new FileLockedError(path, action, options);
    case 'ABORT_ERR':
      return new CanceledError(path);
    default:
      return new FileSystemError(path, action, code, options);
  }
}
