/**
 * Produces the new text of an XML replica file from its parsed document and the writes of a batch. Elements
 * no write touches are copied byte for byte with the text around them; touched elements are rendered from
 * their change units (see `xmlDocument.ts`), in place; new elements are appended with the file's indentation.
 */
import type { ReplicaWrite } from '../../engine/changeApplier.ts';
import type { XmlDocument, XmlItem } from './xmlDocument.ts';

interface Entry {
  name: string;
  readonly original: XmlItem | null;
  units: Map<string, string> | null;
  deleted: boolean;
}

/** The file's new text after `writes` (applied in order). */
export function renderDocument(doc: XmlDocument, writes: readonly ReplicaWrite<string>[]): string {
  const entries: Entry[] = doc.items.map((item) => ({ name: item.name, original: item, units: null, deleted: false }));
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  for (const write of writes) applyWrite(write, entries, byName);
  return assemble(doc, entries);
}

function applyWrite(write: ReplicaWrite<string>, entries: Entry[], byName: Map<string, Entry>): void {
  const existing = byName.get(write.previousName ?? write.name) ?? byName.get(write.name);
  if (write.kind === 'delete') {
    if (existing) {
      existing.deleted = true;
      byName.delete(existing.name);
    }
    return;
  }
  const entry = existing ?? { name: write.name, original: null, units: null, deleted: false };
  if (!existing) entries.push(entry);
  const units = write.replaceAll ? new Map<string, string>() : new Map(entry.units ?? entry.original?.units ?? []);
  for (const [unitId, value] of write.units) {
    if (value === null) units.delete(unitId);
    else units.set(unitId, value);
  }
  byName.delete(entry.name);
  entry.name = write.name;
  entry.units = units;
  entry.deleted = false;
  byName.set(entry.name, entry);
}

function assemble(doc: XmlDocument, entries: readonly Entry[]): string {
  const { text } = doc;
  const pieces: string[] = [];
  let cursor = doc.innerStart;
  for (const entry of entries) {
    const original = entry.original;
    if (!original) continue;
    const gap = text.slice(cursor, original.start);
    cursor = original.end;
    if (entry.deleted) {
      if (gap.trim() !== '') pieces.push(gap);
      continue;
    }
    pieces.push(gap, entry.units ? renderItem(entry.name, entry.units, doc.indent) : text.slice(original.start, original.end));
  }
  const added = entries.filter((entry) => !entry.original && !entry.deleted && entry.units);
  for (const entry of added) pieces.push(doc.indent, renderItem(entry.name, entry.units ?? new Map(), doc.indent));
  const closingIndent = doc.indent.replace(/ {2}$|\t$/, '') || '\n';
  if (doc.selfClosingRoot) {
    if (added.length === 0) return text;
    return `${text.slice(0, doc.innerStart)}>${pieces.join('')}${closingIndent}</${doc.rootName}>${text.slice(doc.innerStart + 2)}`;
  }
  return text.slice(0, doc.innerStart) + pieces.join('') + text.slice(cursor, doc.innerEnd) + text.slice(doc.innerEnd);
}

/** Renders one item element from its change units. */
export function renderItem(name: string, units: ReadonlyMap<string, string>, indent: string): string {
  const tag = units.get('#tag') ?? 'item';
  const attributes = [` id="${escapeAttribute(name)}"`];
  const children: string[] = [];
  for (const [unitId, value] of units) {
    if (unitId.startsWith('@')) attributes.push(` ${unitId.slice(1)}="${escapeAttribute(value)}"`);
    else if (unitId.startsWith('<')) children.push(value);
  }
  const content = units.get('#content') ?? (children.length > 0 ? children.map((child) => `${indent}  ${child}`).join('') + indent : '');
  return content === '' ? `<${tag}${attributes.join('')}/>` : `<${tag}${attributes.join('')}>${content}</${tag}>`;
}

function escapeAttribute(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}
