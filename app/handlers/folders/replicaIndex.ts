/**
 * What one replica holds on disk during a session: the per-file records (by exact disk path) and the item name
 * (NFC path) of each. Writes keep it current, so at the end it becomes the next scan state without a rescan.
 */
import path from 'node:path';
import type { FileRecord } from './changeDetector.ts';
import { normalizationKey } from './pathSafety.ts';

/** What one path held before and after the writes of one owner (an item id). */
interface JournalEntry {
  readonly before: FileRecord | undefined;
  after: FileRecord | undefined;
}

/** Records by disk path, and disk paths by item name (and item names by folded name, where names fold). */
export class ReplicaIndex {
  readonly #records = new Map<string, FileRecord>();
  /** Disk paths by item name, only where the two differ (a name not listed here is its own disk path). */
  readonly #diskPaths = new Map<string, string>();
  /** On a case-insensitive side: the key two names collide under, and the item name holding each key. */
  readonly #fold: ((name: string) => string) | undefined;
  readonly #namesByKey = new Map<string, string>();
  /** Per owner, per path: what the path held before the owner's first change, and after its last. */
  #journal: Map<string, Map<string, JournalEntry>> | undefined;
  #owner: string | undefined;
  /**
   * Records moved only because their folder was renamed, by no write of their own: the metadata still knows
   * their items under the old names. Disk path now → the disk path those names stand for.
   */
  readonly #movedAlong = new Map<string, string>();
  /** Per owner: the records moved along that its writes settled (disk path, the path their names stand for). */
  readonly #settledBy = new Map<string, [string, string][]>();

  constructor(records: Iterable<FileRecord>, fold?: (name: string) => string) {
    this.#fold = fold;
    for (const record of records) this.set(record);
  }

  /** The item name holding the folded name `key` (only when built with a fold). */
  nameWithKey(key: string): string | undefined {
    return this.#namesByKey.get(key);
  }

  /**
   * On a case-insensitive side: a folder here on the way to `name` whose name differs from the write's folder only
   * in case (`docs` for `Docs/a.txt`), into which the file system would put it; undefined when there is none.
   */
  foldedFolderOnTheWay(name: string): string | undefined {
    if (this.#fold === undefined) return undefined;
    for (let parent = path.posix.dirname(name); parent !== '.'; parent = path.posix.dirname(parent)) {
      const holder = this.#namesByKey.get(this.#fold(parent));
      if (holder !== undefined && holder !== parent) return holder;
    }
    return undefined;
  }

  /** Every record, parents before children. */
  records(): FileRecord[] {
    return [...this.#records.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Every record by disk path (in no particular order). */
  byPath(): ReadonlyMap<string, FileRecord> {
    return this.#records;
  }

  /** The record at an exact disk path. */
  at(diskPath: string): FileRecord | undefined {
    return this.#records.get(diskPath);
  }

  /**
   * The record of the item called `name` (NFC path). Not a record moved there along with its folder: that one is
   * another item's, still known by its old name (`movedFrom`).
   */
  byName(name: string): FileRecord | undefined {
    const diskPath = this.#diskPaths.get(name);
    const record = diskPath !== undefined ? this.#records.get(diskPath) : this.#records.get(name);
    if (record === undefined || (this.#movedAlong.size > 0 && this.#movedAlong.has(record.path))) return undefined;
    return diskPath !== undefined || normalizationKey(record.path) === name ? record : undefined;
  }

  /**
   * The disk path for an item name: where it is, or where it should go, following the disk spelling of
   * existing parent folders (a folder created as NFD on this side keeps receiving files there).
   */
  diskPathFor(name: string): string {
    const known = this.#diskPaths.get(name) ?? (this.#records.has(name) ? name : undefined);
    if (known !== undefined) return known;
    const parent = path.posix.dirname(name);
    if (parent === '.') return name;
    return `${this.diskPathFor(parent)}/${path.posix.basename(name)}`;
  }

  /** Adds or replaces a record. */
  set(record: FileRecord): void {
    this.#change(record.path, record);
  }

  /** Forgets the record at a disk path. */
  remove(diskPath: string): void {
    this.#change(diskPath, undefined);
  }

  /** Moves the record at `from` and, for a folder, everything under it, to `to`. */
  move(from: string, to: string, moved: FileRecord): void {
    const prefix = `${from}/`;
    const children = [...this.#records.values()].filter((record) => record.path.startsWith(prefix));
    this.remove(from);
    this.set(moved);
    for (const child of children) {
      const now = `${to}/${child.path.slice(prefix.length)}`;
      const original = this.#movedAlong.get(child.path) ?? child.path;
      this.remove(child.path);
      this.set({ ...child, path: now });
      this.#movedAlong.set(now, original);
    }
  }

  /**
   * Where the metadata still places the record at `diskPath`, when it was moved there along with its folder (its
   * item is known under that old path's name, so a write of another item naming `diskPath` must not touch it).
   */
  movedFrom(diskPath: string): string | undefined {
    return this.#movedAlong.get(diskPath);
  }

  /** Where the record moved along with its folder from `originalPath` (a disk path its item's name stands for) is now. */
  movedAlongFrom(originalPath: string): string | undefined {
    for (const [now, original] of this.#movedAlong) if (original === originalPath) return now;
    return undefined;
  }

  /**
   * The item moved along to `diskPath` was renamed there by a write of its own: its name is current again (unless
   * that write is taken back: `takeBack` restores the note).
   */
  settled(diskPath: string): void {
    const original = this.#movedAlong.get(diskPath);
    if (original === undefined) return;
    this.#movedAlong.delete(diskPath);
    if (this.#journal === undefined || this.#owner === undefined) return;
    const settled = this.#settledBy.get(this.#owner);
    if (settled === undefined) this.#settledBy.set(this.#owner, [[diskPath, original]]);
    else settled.push([diskPath, original]);
  }

  /**
   * The records to save as the next scan state: `byPath`, except records moved along with a renamed folder (a
   * folder an engine decision renamed, a "keep both" of a folder, say, with no rename of its content). Such a
   * record is saved where its item's name in the metadata says, so the next scan sees the file moved and reports
   * the rename: the metadata learns the new name, and the other replicas with it. Where that place holds
   * something else now, it is left out, so the next scan finds it as a new file rather than never at all.
   */
  scanStateRecords(): ReadonlyMap<string, FileRecord> {
    if (this.#movedAlong.size === 0) return this.#records;
    const out = new Map(this.#records);
    for (const [now, original] of this.#movedAlong) {
      const record = out.get(now);
      if (record === undefined) continue;
      out.delete(now);
      if (!this.#records.has(original)) out.set(original, { ...record, path: original });
    }
    return out;
  }

  /**
   * Starts a journal of changes (for one batch of writes): changes made while an owner is set (`ownedBy`) can
   * be taken back (`takeBack`) when the owner's writes are withdrawn.
   */
  startJournal(): void {
    this.#journal = new Map();
    this.#settledBy.clear();
    this.#owner = undefined;
  }

  /** Notes the changes that follow under `owner` (an item id); undefined stops noting. */
  ownedBy(owner: string | undefined): void {
    this.#owner = owner;
  }

  /**
   * Puts back what each path held before the owners' changes, where nothing else has changed it since, so that
   * whatever those writes did on disk shows up as a local change at the next scan.
   */
  takeBack(owners: Iterable<string>): void {
    const journal = this.#journal;
    if (journal === undefined) return;
    this.#journal = undefined;
    const unique = [...new Set(owners)];
    const entries = unique.flatMap((owner) => [...(journal.get(owner) ?? [])]);
    // Repeat while something was put back: two owners that changed one path are undone last one first.
    for (let restored = true; restored; ) {
      restored = false;
      for (const [diskPath, entry] of entries) {
        if (this.#records.get(diskPath) !== entry.after || entry.after === entry.before) continue;
        this.#change(diskPath, entry.before);
        entry.after = entry.before;
        restored = true;
      }
    }
    // A withdrawn write that settled a record moved along leaves that record's item under its old name.
    for (const owner of unique) {
      for (const [diskPath, original] of this.#settledBy.get(owner) ?? []) if (this.#records.has(diskPath)) this.#movedAlong.set(diskPath, original);
    }
    this.#journal = journal;
  }

  #change(diskPath: string, record: FileRecord | undefined): void {
    this.#movedAlong.delete(diskPath); // whatever is there now was put there by name (`move` notes its own after)
    const entry = this.#journalEntry(diskPath);
    if (entry !== undefined) entry.after = record;
    const name = normalizationKey(diskPath);
    const key = this.#fold?.(name);
    if (record !== undefined) {
      this.#records.set(diskPath, record);
      if (name !== diskPath) this.#diskPaths.set(name, diskPath);
      if (key !== undefined) this.#namesByKey.set(key, name);
      return;
    }
    this.#records.delete(diskPath);
    if (this.#diskPaths.get(name) === diskPath) this.#diskPaths.delete(name);
    if (key !== undefined && this.#namesByKey.get(key) === name) this.#namesByKey.delete(key);
  }

  /** The journal entry of `diskPath` for the current owner (created on its first change), if noting. */
  #journalEntry(diskPath: string): JournalEntry | undefined {
    if (this.#journal === undefined || this.#owner === undefined) return undefined;
    let entries = this.#journal.get(this.#owner);
    if (entries === undefined) {
      entries = new Map();
      this.#journal.set(this.#owner, entries);
    }
    let entry = entries.get(diskPath);
    if (entry === undefined) {
      entry = { before: this.#records.get(diskPath), after: undefined };
      entries.set(diskPath, entry);
    }
    return entry;
  }
}
