/**
 * The previous scan of a side that lost its scan state, rebuilt from its metadata.
 *
 * A side's scan state (`.synccenter/scan-state.tsv` and its log) is what the change detector compares a scan with.
 * When it is gone (deleted by hand) or its base is damaged while the side has synced before, starting from no
 * previous scan would take every file as new and see nothing deleted or moved since the last sync: a file deleted
 * here would stay on the other side for good, a moved one would arrive there as a copy beside the old one. The
 * metadata still knows every live item of the side (its name, kind and mode), so those become the previous records,
 * with no stat and no hash: every file is hashed again and compared with the metadata, an item the scan no longer
 * finds is a delete (a move shows as a delete and a new file), and one it finds unchanged records nothing.
 */
import type { ItemRecord } from '../../engine/index.ts';
import type { FileRecord } from './changeDetector.ts';
import type { ExcludeMatcher } from './excludeMatcher.ts';
import { KIND_UNIT, MODE_UNIT, parseMode } from './folderUnits.ts';
import { normalizationKey, validateRelativePath } from './pathSafety.ts';
import { isMetadataName } from './tempNames.ts';
import type { EntryKind, ScanEntry } from './treeScanner.ts';

const KINDS: ReadonlySet<string> = new Set<EntryKind>(['file', 'directory', 'symlink']);

/**
 * Previous-scan records for the live items of a side's metadata. Each takes the spelling the scan found on disk
 * for its name (an NFD name on disk, an NFC item name), else the name itself. Stat fields are zero (inode 0 is
 * no file's) and there is no content hash, so no record matches an entry by identity nor pairs with one as a
 * rename by content (sizes unknown, every empty file would match every other): a path found again is a file
 * replaced in place, hashed afresh and compared with the metadata by the tracker, which records nothing when the
 * content is the same. Left out, as the scan leaves them out and so never as deletes: excluded paths, anything
 * inside a metadata folder, and names that are not a safe relative path.
 */
export function previousScanFromMetadata(items: readonly ItemRecord[], entries: readonly ScanEntry[], excludes: ExcludeMatcher): FileRecord[] {
  const diskPaths = new Map<string, string>();
  for (const entry of entries) {
    const key = normalizationKey(entry.path);
    if (key !== entry.path) diskPaths.set(key, entry.path);
  }
  const records: FileRecord[] = [];
  for (const item of items) {
    if (item.deleted) continue;
    const units = new Map(item.units.map((unit) => [unit.unitId, unit.hash]));
    const kind = units.get(KIND_UNIT);
    if (kind === null || kind === undefined || !KINDS.has(kind) || !isSyncedName(item.name, kind === 'directory', excludes)) continue;
    const mode = units.get(MODE_UNIT);
    records.push({
      path: diskPaths.get(item.name) ?? item.name,
      kind: kind as EntryKind,
      size: 0,
      mtimeNs: 0n,
      ino: 0n,
      mode: mode === null || mode === undefined ? (kind === 'directory' ? 0o755 : 0o644) : parseMode(mode),
    });
  }
  return records;
}

/** Whether a scan would report `name`: a safe path, outside every metadata folder, not excluded. */
function isSyncedName(name: string, isDirectory: boolean, excludes: ExcludeMatcher): boolean {
  let segments: readonly string[];
  try {
    segments = validateRelativePath(name);
  } catch {
    return false;
  }
  const folders = isDirectory ? segments : segments.slice(0, -1);
  return !folders.some(isMetadataName) && !excludes.isExcluded(name, isDirectory);
}
