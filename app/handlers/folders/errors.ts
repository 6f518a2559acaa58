/**
 * Typed errors of the folder handler's file-system layer. Each carries a stable `code` (it survives a process
 * boundary, see `app/control/result.ts`) and the replica-relative `path` it concerns; each message says what is
 * wrong, where, and what the user can do about it. The message is the English of `text`, a key of
 * `folderError` in `app/handlers/locales` with its values, which the handler translates into the host's language
 * (`describe` in `app/handlers/pairSession.ts`). What changed (`changeDetail`) and why a name is unsafe are text
 * as data too, and so is the action a permission, lock or I/O error names.
 */
import { handlerText, translateText, type TextData } from '../handlerText.ts';
import type { PlacesOverlap } from '../places.ts';

const english = handlerText('en');

/** The English of a text: the message of errors and events, the same whatever the host's language. */
export function englishText(text: TextData): string {
  return translateText(text, text.key, english);
}

/** Base class of every folder-handler error. */
export class FolderError extends Error {
  readonly code: string;
  /** The path concerned (replica-relative where known, else absolute); empty when not about one path. */
  readonly path: string;
  /** The message as data (`folderError.<key>` in app/handlers/locales; `text.key` is given without the prefix), for the handler to translate. */
  readonly text: TextData;
  constructor(code: string, path: string, text: TextData, options?: { cause?: unknown }) {
    const data = { key: `folderError.${text.key}`, values: text.values };
    super(englishText(data), options);
    this.name = 'FolderError';
    this.code = code;
    this.path = path;
    this.text = data;
  }
}

/**
 * The replica root is absent or unmounted; nothing is deleted anywhere until the user confirms a fresh start.
 * `canStartAfresh`: the folder is there but its sync data is gone or foreign, so Sync conflicts offers that choice;
 * an absent folder can only be reconnected.
 */
export class RootMissingError extends FolderError {
  constructor(root: string, detail: string, canStartAfresh = false) {
    super('ROOT_MISSING', root, { key: canStartAfresh ? 'ROOT_MISSING_AFRESH' : 'ROOT_MISSING', values: { root, detail } });
    this.name = 'RootMissingError';
  }
}

/**
 * The pair's two folders are one folder, or one is inside the other, as the file system reaches them now (a link or a
 * mount changed since the pair was set up): a sync would copy a folder into itself, so nothing is synced.
 */
export class RootsOverlapError extends FolderError {
  constructor(overlap: PlacesOverlap, left: string, right: string) {
    const text: TextData = overlap.kind === 'same' ? { key: 'ROOTS_SAME', values: { left, right, place: overlap.place } } : { key: 'ROOTS_NESTED', values: { inner: overlap.inner, outer: overlap.outer, place: overlap.place } };
    super('ROOTS_OVERLAP', left, text);
    this.name = 'RootsOverlapError';
  }
}

/** A name would resolve outside the replica root (through `..`, an absolute path or a symbolic link). */
export class PathOutsideRootError extends FolderError {
  constructor(path: string, root: string) {
    super('PATH_OUTSIDE_ROOT', path, { key: 'PATH_OUTSIDE_ROOT', values: { path, root } });
    this.name = 'PathOutsideRootError';
  }
}

/** Why a name can never be synced safely: a key of `unsafeName` in app/handlers/locales. */
export type UnsafeNameReason = 'empty' | 'nul' | 'backslash' | 'absolute' | 'emptySegment' | 'dotSegment' | 'reserved' | 'tempName';

/** A name that can never be synced safely (NUL, empty segment, `..`, backslash, absolute, reserved). */
export class UnsafeNameError extends FolderError {
  constructor(path: string, reason: UnsafeNameReason, values: Readonly<Record<string, string>> = {}) {
    super('UNSAFE_NAME', path, { key: 'UNSAFE_NAME', values: { path: path.replace(/\0/g, '\\0'), reason: { key: `unsafeName.${reason}`, values } } });
    this.name = 'UnsafeNameError';
  }
}

/**
 * A write under a name whose folder is a file here, though a folder on the other side (a file-or-folder conflict,
 * or a file made here meanwhile): nothing is written there until that is settled; the write waits for it.
 */
export class FileInTheWayError extends FolderError {
  constructor(path: string, parent: string) {
    super('FILE_IN_THE_WAY', path, { key: 'FILE_IN_THE_WAY', values: { path, parent } });
    this.name = 'FileInTheWayError';
  }
}

/** What changed, for `DestinationChangedError` and `SourceChangedError`: a key of `changeDetail` in app/handlers/locales. */
export type ChangeDetail =
  | 'notSeenYet' | 'insideStuck' | 'folderNotEmpty' | 'movedAlongThere' | 'folderCase' | 'stuckThere' | 'differsFromScan' | 'writtenDuringCopy'
  | 'readBytes' | 'notRegularFile' | 'folderInTheWay' | 'isFolder' | 'somethingAppeared' | 'contentRewritten' | 'removed' | 'sizeChanged'
  | 'replaced' | 'modified' | `appeared.${EntryKind}` | `became.${EntryKind}`;

/** What a path holds on disk, as the change details name it. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

/** A change detail as text data (translated where the error becomes a Sync result). */
export function changeDetail(detail: ChangeDetail, values: Readonly<Record<string, string | number>> = {}): TextData {
  return { key: `changeDetail.${detail}`, values };
}

/** The destination changed after the plan was made; the caller turns it into a conflict or a rescan. */
export class DestinationChangedError extends FolderError {
  constructor(path: string, detail: TextData) {
    super('DESTINATION_CHANGED', path, { key: 'DESTINATION_CHANGED', values: { path, detail } });
    this.name = 'DestinationChangedError';
  }
}

/** The source changed while it was copied; the copy is discarded and the file retried on a later sync. */
export class SourceChangedError extends FolderError {
  constructor(path: string, detail: TextData) {
    super('SOURCE_CHANGED', path, { key: 'SOURCE_CHANGED', values: { path, detail } });
    this.name = 'SourceChangedError';
  }
}

/** The destination file system is full (ENOSPC or EDQUOT). */
export class NoSpaceError extends FolderError {
  constructor(path: string, options?: { cause?: unknown }) {
    super('NO_SPACE', path, { key: 'NO_SPACE', values: { path } }, options);
    this.name = 'NoSpaceError';
  }
}

/** What was being done when a file-system call failed, as the errors name it: a key of `folderAction` in app/handlers/locales. */
export type FolderAction = 'copying' | 'creating the folder' | 'creating the link' | 'creating the metadata folder' | 'deleting the folder' | 'deleting' | 'moving to the trash' | 'reading' | 'reading the folder' | 'renaming' | 'replacing the folder' | 'restoring' | 'syncing' | 'taking the sync lock' | 'writing';

/** An action as text data (translated where the error becomes a Sync result). */
function actionText(action: FolderAction): TextData {
  return { key: `folderAction.${action}`, values: {} };
}

/** The operating system refused access (EACCES or EPERM). */
export class PermissionDeniedError extends FolderError {
  constructor(path: string, action: FolderAction, options?: { cause?: unknown }) {
    super('PERMISSION_DENIED', path, { key: 'PERMISSION_DENIED', values: { path, action: actionText(action) } }, options);
    this.name = 'PermissionDeniedError';
  }
}

/** The file is locked or busy (EBUSY, ETXTBSY). */
export class FileLockedError extends FolderError {
  constructor(path: string, action: FolderAction, options?: { cause?: unknown }) {
    super('FILE_LOCKED', path, { key: 'FILE_LOCKED', values: { path, action: actionText(action) } }, options);
    this.name = 'FileLockedError';
  }
}

/** The operation was stopped by the user (AbortSignal). */
export class CanceledError extends FolderError {
  constructor(path: string) {
    super('CANCELED', path, { key: 'CANCELED', values: { path } });
    this.name = 'CanceledError';
  }
}

/** Any other I/O failure, with the system code kept in the message. */
export class FileSystemError extends FolderError {
  constructor(path: string, action: FolderAction, systemCode: string, options?: { cause?: unknown }) {
    super('IO_ERROR', path, { key: 'IO_ERROR', values: { path, action: actionText(action), systemCode } }, options);
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
export function toFolderError(error: unknown, path: string, action: FolderAction): FolderError {
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

/** One item's outcome: its value, or the folder error it failed with (each item of a batch fails alone). */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FolderError };

/** Runs `run` for one item; a failure becomes that item's `FolderError` (`toFolderError` with `path`, `action`). */
export function settleSync<T>(run: () => T, path: string, action: FolderAction): Settled<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: toFolderError(error, path, action) };
  }
}

/** A folder error as plain data, to cross a thread boundary (structured clone keeps no class). */
export interface FolderErrorData {
  readonly name: string;
  readonly code: string;
  readonly path: string;
  readonly text: TextData;
  readonly message: string;
  readonly stack?: string;
}

const FOLDER_ERROR_CLASSES: Readonly<Record<string, { readonly prototype: FolderError }>> = {
  FolderError,
  RootMissingError,
  PathOutsideRootError,
  UnsafeNameError,
  FileInTheWayError,
  DestinationChangedError,
  SourceChangedError,
  NoSpaceError,
  PermissionDeniedError,
  FileLockedError,
  CanceledError,
  FileSystemError,
};

export function folderErrorData(error: FolderError): FolderErrorData {
  const { name, code, path, text, message, stack } = error;
  return { name, code, path, text, message, ...(stack === undefined ? {} : { stack }) };
}

/** The error `folderErrorData` described, of the same class, so `instanceof` checks on this side still hold. */
export function reviveFolderError(data: FolderErrorData): FolderError {
  const error = Object.create((FOLDER_ERROR_CLASSES[data.name] ?? FolderError).prototype) as FolderError;
  return Object.assign(error, { name: data.name, code: data.code, path: data.path, text: data.text, message: data.message, stack: data.stack });
}
