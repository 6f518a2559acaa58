/**
 * The XML-file replica: a `ReplicaAdapter` over one file whose items are the root's child elements. Changes
 * are detected by parsing the file and comparing each element's units with the metadata; remote changes are
 * applied by rewriting the file atomically (temp file in the same directory, fsync, rename, fsync directory).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ItemRecord } from '../../engine/changeBatch.ts';
import type { ReplicaWrite } from '../../engine/changeApplier.ts';
import type { LocalChangeTracker } from '../../engine/localChangeTracker.ts';
import type { ReplicaAdapter } from '../../engine/metadataSyncProvider.ts';
import { replaceFileDurably } from '../durableFile.ts';
import { NoSpaceError } from '../folders/errors.ts';
import { parseXmlDocument, readXmlFile, type XmlDocument, type XmlItem } from './xmlDocument.ts';
import { XmlReplicaError } from './xmlErrors.ts';
import { renderDocument } from './xmlRendering.ts';

/** The content given to a replica file that does not exist yet. */
export const EMPTY_REPLICA = '<?xml version="1.0" encoding="UTF-8"?>\n<items>\n</items>\n';

/** See the module comment. */
export class XmlReplica implements ReplicaAdapter<string> {
  readonly file: string;
  private doc: XmlDocument | null = null;
  private byName = new Map<string, XmlItem>();

  constructor(file: string) {
    this.file = file;
  }

  /** Reads and parses the file (an absent file reads as an empty replica). */
  read(): XmlDocument {
    const text = fs.existsSync(this.file) ? readXmlFile(this.file) : EMPTY_REPLICA;
    return this.use(parseXmlDocument(text, this.file));
  }

  async detectChanges(tracker: LocalChangeTracker): Promise<void> {
    const doc = this.read();
    tracker.beginFullScan();
    for (const item of doc.items) tracker.observe(item.name, new Map([...item.units].map(([unitId, value]) => [unitId, this.hashUnit(value)])));
    tracker.deleteUnseen();
  }

  async loadUnits(record: ItemRecord, unitIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    if (!this.doc) this.read();
    const item = this.byName.get(record.name);
    return new Map([...(item?.units ?? [])].filter(([unitId]) => unitIds.includes(unitId)));
  }

  async applyWrites(writes: readonly ReplicaWrite<string>[]): Promise<void> {
    if (writes.length === 0) return;
    const doc = this.doc ?? this.read();
    const onDisk = fs.existsSync(this.file) ? readXmlFile(this.file) : EMPTY_REPLICA;
    if (onDisk !== doc.text) throw new XmlReplicaError('XML_CHANGED_DURING_SYNC', this.file, 'The file was edited while it was being synced.');
    const text = renderDocument(doc, writes);
    const next = parseXmlDocument(text, this.file);
    writeFileAtomic(this.file, text);
    this.use(next);
  }

  private use(doc: XmlDocument): XmlDocument {
    this.doc = doc;
    this.byName = new Map(doc.items.map((item) => [item.name, item]));
    return doc;
  }

  /** Replaces, adds (xml given) or removes (xml null) whole elements by id, atomically. */
  async replaceElements(elements: ReadonlyArray<{ name: string; xml: string | null }>): Promise<void> {
    const doc = this.read();
    const writes: ReplicaWrite<string>[] = elements.map(({ name, xml }) => {
      const exists = doc.items.some((item) => item.name === name);
      if (xml === null) return { kind: 'delete', itemId: name, name, previousName: name, units: new Map(), replaceAll: true };
      const parsed = parseXmlDocument(`<r>${xml}</r>`, this.file).items[0];
      return { kind: 'upsert', itemId: name, name, previousName: exists ? name : null, units: new Map(parsed?.units ?? []), replaceAll: true };
    });
    await this.applyWrites(writes);
  }

  hashUnit(value: string): string {
    return createHash('sha256').update(value).digest('base64url').slice(0, 22);
  }

  uniqueName(name: string, isTaken: (candidate: string) => boolean): string {
    for (let n = 2; ; n++) if (!isTaken(`${name}-${n}`)) return `${name}-${n}`;
  }
}

let tempCounter = 0;

/** `.<file name>.<pid>.<n>.tmp`: the temporary files of `writeFileAtomic`, named after the writing process. */
function tempNamePattern(file: string): RegExp {
  return new RegExp(`^\\.${path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.\\d+\\.tmp$`);
}

/**
 * Removes the temporary files a killed writer left beside `file` (those of processes that no longer run; a
 * live writer's file is left alone). Called at the start of every sync of the file.
 */
export function removeStaleTempFiles(file: string): void {
  const dir = path.dirname(file);
  const pattern = tempNamePattern(file);
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const pid = Number(pattern.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isRunning(pid)) fs.rmSync(path.join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Replaces `file` with `text` so that a crash at any instant leaves either the old or the new content. A failure
 * leaves the old content and no temporary file; a full disk is `NoSpaceError` naming the file.
 */
export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const mode = fs.existsSync(file) ? fs.statSync(file).mode & 0o777 : 0o644;
  try {
    replaceFileDurably(file, temp, text, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'ENOSPC' || code === 'EDQUOT' ? new NoSpaceError(file, { cause: error }) : error;
  }
}
