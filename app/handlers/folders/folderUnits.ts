/**
 * How a folder item maps onto the engine's change units. An item's name is its replica-relative path in NFC
 * (so names equal after Unicode normalization are one item); its units are changed and versioned separately,
 * so a permission change on one side and an edit on the other merge without a conflict:
 *
 * - `kind`: `file`, `directory` or `symlink` (a change is a file↔folder type change);
 * - `content`: the SHA-256 of a file's bytes or of a link's target (folders have none);
 * - `mode`: permission bits in octal (links have none).
 */
import type { ChangeUnitId } from '../../engine/index.ts';
import type { EntryKind } from './treeScanner.ts';

export const KIND_UNIT = 'kind';
export const CONTENT_UNIT = 'content';
export const MODE_UNIT = 'mode';

/** Where a version of a file's content can be read: the source replica's file, as it was scanned. */
export interface ContentSource {
  readonly root: string;
  /** The path on disk (its exact spelling, which may differ from the NFC item name). */
  readonly diskPath: string;
  readonly kind: EntryKind;
  readonly hash: string;
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
  readonly ctimeNs?: bigint;
  /** The source replica's scan start minus its timestamp granularity (see `ExpectedSource` in copyToTemp). */
  readonly stableBeforeNs?: bigint;
  /** False when the source's file system keeps no Unix modes (FAT): its files' modes mean nothing. */
  readonly keepsModes?: boolean;
  readonly linkTarget?: string;
}

/** A unit value: the kind or mode as text, or where the content is. */
export type FolderUnit = string | ContentSource;

/** The hash the engine records for a unit value (the value itself for kind and mode). */
export function hashFolderUnit(value: FolderUnit): string {
  return typeof value === 'string' ? value : value.hash;
}

/** Unit hashes of an entry, given its content hash (files and links). */
export function unitHashes(kind: EntryKind, mode: number, contentHash: string | undefined): Map<ChangeUnitId, string> {
  const units = new Map<ChangeUnitId, string>([[KIND_UNIT, kind]]);
  if (kind !== 'directory' && contentHash !== undefined) units.set(CONTENT_UNIT, contentHash);
  if (kind !== 'symlink') units.set(MODE_UNIT, formatMode(mode));
  return units;
}

/** Permission bits as the `mode` unit's text (never set-id or sticky bits; see copyToTemp). */
export function formatMode(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

/** The `mode` unit's text back to bits. */
export function parseMode(text: string): number {
  return Number.parseInt(text, 8) & 0o777;
}
