/**
 * The previous scan of a side that lost its scan state, rebuilt from its metadata.
 *
 * A side's scan state (`.synccenter/scan-state.tsv` and its log) is what the change detector compares a scan with.
 * When it is gone (deleted by hand) or its base is damaged while the side has synced before, starting from no
 * previous scan would take every file as new and see nothing deleted or moved since the last sync: a file deleted
 * here would stay on the other side for good, a moved one would arrive there as a copy beside the old one. The
 * metadata still knows every live item of the side (its name, kind, mode and content hash), so those become the
 * previous records, with no stat: every file is hashed again and compared with the metadata, an item the scan no
 * longer finds is a delete, unless one new file has its content (a move), and one it finds unchanged records nothing.
 */
import type { ItemRecord } from '../../engine/index.ts';
import type { ChangeSet, FileRecord, Rename } from './changeDetector.ts';
import { createContentHasher } from './contentHash.ts';
import type { ExcludeMatcher } from './excludeMatcher.ts';
import { CONTENT_UNIT, KIND_UNIT, MODE_UNIT, parseMode } from './folderUnits.ts';
import { normalizationKey, validateRelativePath } from './pathSafety.ts';
import { metadataFolderIn } from './tempNames.ts';
import type { EntryKind, ScanEntry } from './treeScanner.ts';

const KINDS: ReadonlySet<string> = new Set<EntryKind>(['file', 'directory', 'symlink']);
const EMPTY_FILE_HASH = createContentHasher().digest('hex');

/** A side's previous scan rebuilt from its metadata: records without hashes, and the metadata's hashes by path. */
export interface RebuiltScan {
  readonly records: readonly FileRecord[];
  /** The content hash the metadata holds for each file and link of `records`, by path. */
  readonly hashes: ReadonlyMap<string, string>;
}

/**
 * Previous-scan records for the live items of a side's metadata. Each takes the spelling the scan found on disk
 * for its name (an NFD name on disk, an NFC item name), else the name itself. Stat fields are zero (inode 0 is
 * no file's) and there is no content hash, so no record matches an entry by identity nor pairs with one as a
 * rename by content (sizes unknown, every empty file would match every other): a path found again is a file
 * replaced in place, hashed afresh and compared with the metadata by the tracker, which records nothing when the
 * content is the same. Left out, as the scan leaves them out and so never as deletes: excluded paths, anything
 * inside a metadata folder, and names that are not a safe relative path.
 */
export function previousScanFromMetadata(items: readonly ItemRecord[], entries: readonly ScanEntry[], excludes: ExcludeMatcher): RebuiltScan {
  const diskPaths = new Map<string, string>();
  for (const entry of entries) {
    const key = normalizationKey(entry.path);
    if (key !== entry.path) diskPaths.set(key, entry.path);
  }
  const records: FileRecord[] = [];
  const hashes = new Map<string, string>();
  for (const item of items) {
    if (item.deleted) continue;
    const units = new Map(item.units.map((unit) => [unit.unitId, unit.hash]));
    const kind = units.get(KIND_UNIT);
    if (kind === null || kind === undefined || !KINDS.has(kind) || !isSyncedName(item.name, kind === 'directory', excludes)) continue;
    const mode = units.get(MODE_UNIT);
    const diskPath = diskPaths.get(item.name) ?? item.name;
    const hash = units.get(CONTENT_UNIT);
    if (hash !== null && hash !== undefined && kind !== 'directory') hashes.set(diskPath, hash);
    records.push({
      path: diskPath,
      kind: kind as EntryKind,
      size: 0,
      mtimeNs: 0n,
      ino: 0n,
      mode: mode === null || mode === undefined ? (kind === 'directory' ? 0o755 : 0o644) : parseMode(mode),
    });
  }
  return { records, hashes };
}

/**
 * Turns a delete and an addition into a move where the content says so: a file of the rebuilt scan that is gone,
 * whose content (by the metadata's hash) is that of exactly one new file, while no other gone file had it, moved
 * there (the detector cannot pair them: it knows no sizes). `currentHashes` are the hashes of this scan's files.
 * Empty files are never paired (any empty file has any other's content); folders move as a delete and a new folder,
 * their files as moves into it.
 */
export function pairMovesByContent(changes: ChangeSet, rebuilt: RebuiltScan, currentHashes: ReadonlyMap<string, string | undefined>): ChangeSet {
  const departures = groupByHash(changes.deleted, (record) => rebuilt.hashes.get(record.path));
  const arrivals = groupByHash(changes.added, (entry) => currentHashes.get(entry.path));
  const moves: Rename[] = [];
  for (const [hash, [from, ...otherFrom]] of departures) {
    const [to, ...otherTo] = arrivals.get(hash) ?? [];
    if (from === undefined || to === undefined || otherFrom.length > 0 || otherTo.length > 0 || from.kind !== to.kind) continue;
    moves.push({ from, to, by: 'content', impliedByParent: false });
  }
  if (moves.length === 0) return changes;
  const moved = new Set<FileRecord | ScanEntry>(moves.flatMap((move) => [move.from, move.to]));
  return { ...changes, deleted: changes.deleted.filter((record) => !moved.has(record)), added: changes.added.filter((entry) => !moved.has(entry)), renamed: [...changes.renamed, ...moves] };
}

function groupByHash<T extends { readonly kind: EntryKind }>(items: readonly T[], hashOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const hash = item.kind === 'directory' ? undefined : hashOf(item);
    if (hash === undefined || hash === EMPTY_FILE_HASH) continue;
    const group = groups.get(hash);
    if (group === undefined) groups.set(hash, [item]);
    else group.push(item);
  }
  return groups;
}

/** Whether a scan would report `name`: a safe path, outside every metadata folder, not excluded. */
function isSyncedName(name: string, isDirectory: boolean, excludes: ExcludeMatcher): boolean {
  let segments: readonly string[];
  try {
    segments = validateRelativePath(name);
  } catch {
    return false;
  }
  return metadataFolderIn(segments, isDirectory) === undefined && !excludes.isExcluded(name, isDirectory);
}
