/**
 * What one replica holds on disk during a session: the per-file records (by exact disk path) and the item name
 * (NFC path) of each. Writes keep it current, so at the end it becomes the next scan state without a rescan.
 */
import path from 'node:path';
import type { FileRecord } from './changeDetector.ts';
import { normalizationKey } from './pathSafety.ts';

/** Records by disk path, and disk paths by item name. */
export class ReplicaIndex {
  readonly #records = new Map<string, FileRecord>();
  readonly #diskPaths = new Map<string, string>();

  constructor(records: Iterable<FileRecord>) {
    for (const record of records) this.set(record);
  }

  /** Every record, parents before children. */
  records(): FileRecord[] {
    return [...this.#records.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The record at an exact disk path. */
  at(diskPath: string): FileRecord | undefined {
    return this.#records.get(diskPath);
  }

  /** The record of the item called `name` (NFC path). */
  byName(name: string): FileRecord | undefined {
    const diskPath = this.#diskPaths.get(name);
    return diskPath === undefined ? undefined : this.#records.get(diskPath);
  }

  /**
   * The disk path for an item name: where it is, or where it should go, following the disk spelling of
   * existing parent folders (a folder created as NFD on this side keeps receiving files there).
   */
  diskPathFor(name: string): string {
    const known = this.#diskPaths.get(name);
    if (known !== undefined) return known;
    const parent = path.posix.dirname(name);
    if (parent === '.') return name;
    return `${this.diskPathFor(parent)}/${path.posix.basename(name)}`;
  }

  /** Adds or replaces a record. */
  set(record: FileRecord): void {
    this.#records.set(record.path, record);
    this.#diskPaths.set(normalizationKey(record.path), record.path);
  }

  /** Forgets the record at a disk path. */
  remove(diskPath: string): void {
    this.#records.delete(diskPath);
    const name = normalizationKey(diskPath);
    if (this.#diskPaths.get(name) === diskPath) this.#diskPaths.delete(name);
  }

  /** Moves the record at `from` and, for a folder, everything under it, to `to`. */
  move(from: string, to: string, moved: FileRecord): void {
    const prefix = `${from}/`;
    const children = [...this.#records.values()].filter((record) => record.path.startsWith(prefix));
    this.remove(from);
    this.set(moved);
    for (const child of children) {
      this.remove(child.path);
      this.set({ ...child, path: `${to}/${child.path.slice(prefix.length)}` });
    }
  }
}
