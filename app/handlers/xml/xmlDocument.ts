/**
 * Parses an XML replica file (with saxes, a strict parser) into the parts the replica needs: the items (child
 * elements of the root, each with a unique `id` attribute) with their exact source text and change units, and
 * the text around them, so a rewrite can keep every untouched byte as it was.
 *
 * Change units of an item: `#tag` (element name), `@name` per attribute other than `id` (decoded value), and
 * per child element `<tag>` (first of that name) or `<tag>[n]`, whose value is the child's exact XML text. When
 * the item holds text, comments or CDATA beside its children, its whole inner XML is one unit, `#content`.
 */
import fs from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { XmlReplicaError } from './xmlErrors.ts';

/** The largest replica file read (a hostile or mistaken file must not exhaust memory). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** The largest attribute value accepted (in characters). */
export const MAX_ATTRIBUTE_CHARS = 1024 * 1024;

/**
 * Reads a replica file as text. Replica files are UTF-8 (a BOM is kept as it is); anything else is refused with
 * XML_ENCODING and the line of the first byte that is not UTF-8, rather than decoded into replacement characters
 * that the sync would then write into both files.
 */
export function readXmlFile(file: string): string {
  const size = fs.statSync(file).size;
  if (size > MAX_FILE_BYTES) {
    throw new XmlReplicaError('XML_TOO_LARGE', file, `The file is ${Math.round(size / 1024 / 1024)} MB; replica files may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  }
  const bytes = fs.readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    const line = bytes.subarray(0, offset).filter((byte) => byte === 0x0a).length + 1;
    throw new XmlReplicaError('XML_ENCODING', file, `The file is not valid UTF-8 (byte ${offset}); it may be saved as Latin-1 or UTF-16. Save it as UTF-8.`, { line, column: 1 });
  }
}

/** The offset of the first byte that makes `bytes` invalid UTF-8 (binary search on prefixes). */
function firstInvalidByte(bytes: Uint8Array): number {
  const valid = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let [low, high] = [0, bytes.length];
  while (low < high) {
    const middle = Math.floor((low + high + 1) / 2);
    if (valid(middle)) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** One item element. */
export interface XmlItem {
  /** The `id` attribute: the item's name in the sync metadata. */
  readonly name: string;
  readonly start: number;
  readonly end: number;
  /** Change-unit values, in document order. */
  readonly units: ReadonlyMap<string, string>;
}

/** A parsed replica file. */
export interface XmlDocument {
  readonly text: string;
  readonly rootName: string;
  /** Offset just after the root's start tag (or of its `/>` when self-closing). */
  readonly innerStart: number;
  /** Offset of the root's end tag (equal to `innerStart` when self-closing). */
  readonly innerEnd: number;
  readonly selfClosingRoot: boolean;
  readonly items: readonly XmlItem[];
  /** Whitespace placed before appended items (the indentation of the first item, or a newline and two spaces). */
  readonly indent: string;
}

interface OpenItem {
  name: string | null;
  start: number;
  line: number;
  column: number;
  units: Map<string, string>;
  childCounts: Map<string, number>;
  childStart: number;
  innerStart: number;
  mixed: boolean;
}

/** Parses `text` (the content of `file`); throws XmlReplicaError with line and column on any problem. */
export function parseXmlDocument(text: string, file: string): XmlDocument {
  const parser = new SaxesParser({ position: true, fileName: file, xmlns: false });
  const items: XmlItem[] = [];
  const names = new Set<string>();
  let depth = 0;
  let rootName = '';
  let innerStart = -1;
  let innerEnd = -1;
  let selfClosingRoot = false;
  let current: OpenItem | null = null;
  let failure: XmlReplicaError | null = null;
  const fail = (code: string, message: string, at?: { line: number; column: number }): never => {
    throw new XmlReplicaError(code, file, message, at ?? { line: parser.line, column: parser.column + 1 });
  };
  const startOf = (): number => text.lastIndexOf('<', parser.position - 1);
  parser.on('xmldecl', (declaration) => {
    const encoding = declaration.encoding;
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) fail('XML_ENCODING', `The file declares encoding "${encoding}"; replica files must be UTF-8. Save it as UTF-8.`);
  });
  parser.on('doctype', () => fail('XML_DOCTYPE_REFUSED', 'A DOCTYPE (and with it any entity declaration) is not allowed in a replica file; remove it.'));
  parser.on('error', (error) => {
    failure ??= new XmlReplicaError('XML_MALFORMED', file, `The file is not well-formed XML: ${error.message.replace(/^[^:]*:\d+:\d+: /, '').replace(/\.$/, '')}.`, { line: parser.line, column: parser.column + 1 });
    throw failure;
  });
  parser.on('opentagstart', (tag) => {
    depth++;
    if (depth === 2) current = { name: null, start: startOf(), line: parser.line, column: parser.column, units: new Map([['#tag', tag.name]]), childCounts: new Map(), childStart: -1, innerStart: -1, mixed: false };
    else if (depth === 3 && current) current.childStart = startOf();
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    for (const [name, value] of Object.entries(tag.attributes)) {
      if (value.length > MAX_ATTRIBUTE_CHARS) fail('XML_TOO_LARGE', `The attribute ${name} of <${tag.name}> holds ${value.length} characters; at most ${MAX_ATTRIBUTE_CHARS} are accepted.`);
    }
    if (depth === 1) {
      rootName = tag.name;
      selfClosingRoot = tag.isSelfClosing;
      innerStart = tag.isSelfClosing ? parser.position - 2 : parser.position;
    } else if (depth === 2 && current) openItem(current, tag, parser.position, names, fail);
  });
  parser.on('closetag', (tag) => {
    if (depth === 1) innerEnd = tag.isSelfClosing ? innerStart : startOf();
    else if (depth === 2 && current) {
      items.push(closeItem(current, text, tag.isSelfClosing ? parser.position : startOf(), parser.position));
      current = null;
    } else if (depth === 3 && current) addChild(current, tag.name, text.slice(current.childStart, parser.position));
    depth--;
  });
  const markMixed = (): void => {
    if (depth === 2 && current) current.mixed = true;
  };
  parser.on('text', (value) => {
    if (value.trim() !== '') markMixed();
  });
  parser.on('comment', markMixed);
  parser.on('cdata', markMixed);
  parser.on('processinginstruction', markMixed);
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof XmlReplicaError) throw error;
    throw failure ?? error;
  }
  if (rootName === '') fail('XML_MALFORMED', 'The file has no root element.');
  return { text, rootName, innerStart, innerEnd, selfClosingRoot, items, indent: indentOf(text, items, innerStart) };
}

function openItem(item: OpenItem, tag: SaxesTagPlain, position: number, names: Set<string>, fail: (code: string, message: string, at?: { line: number; column: number }) => never): void {
  const at = { line: item.line, column: item.column };
  const id = tag.attributes.id;
  if (id === undefined || id === '') fail('XML_MISSING_ID', `The <${tag.name}> element has no id attribute; every child of the root needs a unique id.`, at);
  if (names.has(id ?? '')) fail('XML_DUPLICATE_ID', `The id "${id}" is used by more than one element; ids must be unique.`, at);
  names.add(id ?? '');
  item.name = id ?? '';
  for (const [name, value] of Object.entries(tag.attributes)) if (name !== 'id') item.units.set(`@${name}`, value);
  item.innerStart = position;
}

function addChild(item: OpenItem, tagName: string, xml: string): void {
  const count = (item.childCounts.get(tagName) ?? 0) + 1;
  item.childCounts.set(tagName, count);
  item.units.set(count === 1 ? `<${tagName}>` : `<${tagName}>[${count}]`, xml);
}

function closeItem(item: OpenItem, text: string, innerEnd: number, end: number): XmlItem {
  const units = new Map(item.units);
  if (item.mixed) {
    for (const key of [...units.keys()]) if (key.startsWith('<')) units.delete(key);
    units.set('#content', text.slice(item.innerStart, innerEnd));
  }
  return { name: item.name ?? '', start: item.start, end, units };
}

function indentOf(text: string, items: readonly XmlItem[], innerStart: number): string {
  const first = items[0];
  if (!first) return '\n  ';
  const gap = text.slice(innerStart, first.start);
  const lastNewline = gap.lastIndexOf('\n');
  return lastNewline >= 0 ? gap.slice(lastNewline) : '\n  ';
}
