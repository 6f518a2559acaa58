/**
 * The per-file records of a replica's last scan (stat + content hash), with that scan's start time and the file
 * system's measured timestamp granularity: what `detectChanges` compares the next scan with.
 *
 * Kept in `<root>/.synccenter/` as a base, `scan-state.tsv` (a JSON header line, then one tab-separated record per
 * line), written to a temporary file, fsynced and renamed, so a crash leaves the old base or the new one; and a
 * log, `scan-state.log`, of the records changed since (blocks appended and fsynced, each naming its base and
 * closed by a SHA-256 of its bytes). A sync that changed a few records appends one block instead of rewriting
 * 100,000 lines; once the log outgrows a fraction of the base, the next save writes a new base and drops the
 * log. A block that is torn (a crash during the append), damaged or written for another base ends the log:
 * it and everything after it are ignored, the state is the base and the blocks before it (an older scan, as
 * after a crash before the save, which detection handles by comparing again), and the next save writes a new
 * base.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FileRecord } from './changeDetector.ts';
import { replaceFileDurably, syncDirectory } from '../durableFile.ts';
import { systemCode, toFolderError } from './errors.ts';
import { isTempName, METADATA_DIR, tempNameFor } from './tempNames.ts';

/** The scan state of one replica. */
export interface ScanState {
  /** Start of the scan the records come from (ns, file-system clock); undefined before the first scan. */
  readonly scanStartedAtNs: bigint | undefined;
  /** Measured once per replica and kept (see fileSystemClock). */
  readonly granularityNs: bigint | undefined;
  readonly records: readonly FileRecord[];
}

/** A loaded scan state, with what `saveScanStateChanges` needs to append only what changed. */
export interface LoadedScanState extends ScanState {
  /** The records by path. */
  readonly byPath: ReadonlyMap<string, FileRecord>;
  /** The files it was read from; undefined when there was no usable base. */
  readonly stored: StoredScanState | undefined;
}

/** The base and log a state was read from. */
export interface StoredScanState {
  /** The base's id (blocks of the log name it); undefined for a base written before the log existed. */
  readonly baseId: string | undefined;
  readonly baseBytes: number;
  /** Bytes of valid blocks in the log. */
  readonly logBytes: number;
  /** False when the log holds anything after its valid blocks (torn, damaged or another base's blocks). */
  readonly logClean: boolean;
}

const FILE_NAME = 'scan-state.tsv';
const LOG_NAME = 'scan-state.log';
const FORMAT = 2;
/** The log is folded into a new base once it would exceed this fraction of the base's size. */
const LOG_FRACTION = 1 / 8;
/** …or this many bytes, whichever is more (a small tree's log costs nothing to read). */
const LOG_MIN_BYTES = 64 * 1024;

/**
 * The JSON headers, checked by hand: zod would be this module's only reason to load it, and it costs a process
 * that only syncs folders about 18 MB.
 */
interface BaseHeader {
  readonly id: string | undefined;
  readonly scanStartedAtNs: bigint | undefined;
  readonly granularityNs: bigint | undefined;
}

interface BlockHeader {
  readonly base: string;
  readonly scanStartedAtNs: bigint | undefined;
  readonly granularityNs: bigint | undefined;
  readonly records: number;
  readonly removed: number;
}

function parseBaseHeader(text: string): BaseHeader {
  const header = jsonObject(text);
  if (header.format !== FORMAT) throw new Error('scan state: unknown format');
  if (header.id !== undefined && (typeof header.id !== 'string' || !/^[0-9a-f]{16}$/.test(header.id))) throw new Error('scan state: bad id');
  return { id: header.id, scanStartedAtNs: optionalBigint(header.scanStartedAtNs), granularityNs: optionalBigint(header.granularityNs) };
}

function parseBlockHeader(text: string): BlockHeader {
  const header = jsonObject(text);
  const count = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : Number.NaN);
  const records = count(header.records);
  const removed = count(header.removed);
  if (typeof header.base !== 'string' || Number.isNaN(records) || Number.isNaN(removed)) throw new Error('scan state: bad log block');
  return { base: header.base, scanStartedAtNs: optionalBigint(header.scanStartedAtNs), granularityNs: optionalBigint(header.granularityNs), records, removed };
}

function jsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('scan state: bad header');
  return value as Record<string, unknown>;
}

/** An optional decimal string as a bigint. */
function optionalBigint(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new Error('scan state: bad number');
  return BigInt(value);
}

/** The state file (base) of the replica at `root`. */
export function scanStatePath(root: string): string {
  return path.join(root, METADATA_DIR, FILE_NAME);
}

/** The log of changes since the base. */
export function scanStateLogPath(root: string): string {
  return path.join(root, METADATA_DIR, LOG_NAME);
}

const EMPTY: LoadedScanState = { scanStartedAtNs: undefined, granularityNs: undefined, records: [], byPath: new Map(), stored: undefined };

/**
 * Loads the scan state; an absent file is an empty state. An unreadable or damaged base is also treated as
 * empty: every file is then re-hashed and compared with the sync metadata, which is slower but loses nothing.
 */
export function loadScanState(root: string): LoadedScanState {
  removeStaleTemps(root);
  const data = readIfThere(scanStatePath(root));
  if (data === undefined) return EMPTY;
  let base: Base;
  try {
    base = parseBase(data);
  } catch {
    return EMPTY; // a damaged base (see the module comment); a log that cannot be read fails below
  }
  return withLog(root, base);
}

/**
 * A file of the scan state, or undefined when there is none. Any other failure to read it (an I/O error, permission)
 * fails the load with an error naming the file: starting from no scan state while the metadata knows the files
 * would take every file as new and see no delete or move made since the last sync (a moved file would be copied as
 * new on the other side, and its old place there never deleted).
 */
function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (systemCode(error) === 'ENOENT') return undefined;
    throw toFolderError(error, file, 'reading');
  }
}

/**
 * Removes temporary bases a killed process left in the metadata folder (the tree's scan never looks there); only
 * the scan state's own, by name, and only while the caller holds the root (the root lock).
 */
function removeStaleTemps(root: string): void {
  const folder = path.join(root, METADATA_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(`.${FILE_NAME}.`) && isTempName(name)) fs.rmSync(path.join(folder, name), { force: true });
}

interface Base {
  readonly id: string | undefined;
  readonly bytes: number;
  readonly scanStartedAtNs: bigint | undefined;
  readonly granularityNs: bigint | undefined;
  readonly records: FileRecord[];
}

function parseBase(data: Buffer): Base {
  const firstLine = data.indexOf(NEWLINE);
  const header = parseBaseHeader(data.toString('utf8', 0, firstLine < 0 ? data.length : firstLine));
  const records: FileRecord[] = [];
  for (let start = firstLine + 1; firstLine >= 0 && start < data.length; start = recordEnd + 1) {
    const record = parseRecord(data, start, data.length);
    if (record !== undefined) records.push(record);
  }
  return { id: header.id, bytes: data.length, scanStartedAtNs: header.scanStartedAtNs, granularityNs: header.granularityNs, records };
}

/** The base with the valid blocks of the log applied (records keep the base's order, new paths merged in sorted). */
function withLog(root: string, base: Base): LoadedScanState {
  const log = base.id === undefined ? undefined : readIfThere(scanStateLogPath(root));
  const byPath = new Map<string, FileRecord>();
  for (const record of base.records) byPath.set(record.path, record);
  let { scanStartedAtNs, granularityNs } = base;
  let offset = 0;
  if (log !== undefined && base.id !== undefined) {
    // The log's records replace the base's in place; removed paths are filtered out and paths the base lacks
    // merged in sorted, at the end.
    const records = base.records;
    const positionOf = positionFinder(records);
    const added = new Map<string, FileRecord>();
    const removed = new Set<string>();
    for (let block = readBlock(log, offset, base.id); block !== undefined; block = readBlock(log, offset, base.id)) {
      offset = block.end;
      ({ scanStartedAtNs, granularityNs } = block);
      for (const record of block.records) {
        const position = positionOf(record.path);
        if (position >= 0) {
          records[position] = record;
          removed.delete(record.path);
        } else added.set(record.path, record);
        byPath.set(record.path, record);
      }
      for (const path of block.removed) {
        if (positionOf(path) >= 0) removed.add(path);
        added.delete(path);
        byPath.delete(path);
      }
    }
    const kept = removed.size === 0 ? records : records.filter((record) => !removed.has(record.path));
    const merged = added.size === 0 ? kept : mergeSorted(kept, [...added.values()].sort(byPathOrder));
    return { scanStartedAtNs, granularityNs, records: merged, byPath, stored: { baseId: base.id, baseBytes: base.bytes, logBytes: offset, logClean: offset === log.length } };
  }
  // No log (or a base without an id, whose log cannot be its own): the base alone.
  const logClean = log === undefined || log.length === 0;
  return { scanStartedAtNs, granularityNs, records: base.records, byPath, stored: { baseId: base.id, baseBytes: base.bytes, logBytes: 0, logClean } };
}

interface Block {
  readonly end: number;
  readonly scanStartedAtNs: bigint | undefined;
  readonly granularityNs: bigint | undefined;
  readonly records: readonly FileRecord[];
  readonly removed: readonly string[];
}

/**
 * The block at `offset` of the log, or undefined at the end of the log or where the block is torn, damaged or
 * written for another base (the log is then cut there: nothing after it is trusted).
 */
function readBlock(log: Buffer, offset: number, baseId: string): Block | undefined {
  try {
    if (offset >= log.length || log[offset] !== AT) return undefined;
    const headerEnd = log.indexOf(NEWLINE, offset);
    if (headerEnd < 0) return undefined;
    const header = parseBlockHeader(log.toString('utf8', offset + 1, headerEnd));
    if (header.base !== baseId) return undefined;
    // The record and removal lines, then `#<sha-256 of the block up to there>`.
    let lineEnd = headerEnd;
    const lineStarts: number[] = [];
    for (let line = 0; line < header.records + header.removed; line += 1) {
      lineStarts.push(lineEnd + 1);
      lineEnd = log.indexOf(NEWLINE, lineEnd + 1);
      if (lineEnd < 0) return undefined;
    }
    const checksumEnd = log.indexOf(NEWLINE, lineEnd + 1);
    if (checksumEnd < 0 || log[lineEnd + 1] !== HASH_SIGN) return undefined;
    const checksum = createHash('sha256').update(log.subarray(offset, lineEnd + 1)).digest('hex');
    if (log.toString('latin1', lineEnd + 2, checksumEnd) !== checksum) return undefined;
    const records: FileRecord[] = [];
    const removed: string[] = [];
    lineStarts.forEach((start, line) => {
      const end = (lineStarts[line + 1] ?? lineEnd + 1) - 1;
      const record = line < header.records ? parseRecord(log, start, end) : undefined;
      if (record !== undefined) records.push(record);
      else if (line < header.records) throw new Error('scan state: empty record line in the log');
      else removed.push(unescapeField(log.toString('utf8', start, end)));
    });
    return { end: checksumEnd + 1, scanStartedAtNs: header.scanStartedAtNs, granularityNs: header.granularityNs, records, removed };
  } catch {
    return undefined;
  }
}

/**
 * Writes the state as a new base, atomically and durably (temp file, fsync, rename, fsync of the folder), and drops
 * the log. A failure (a full disk) leaves the previous state as it was, removes the partial temporary file, and is
 * a `FolderError` naming the base (NO_SPACE for a full disk).
 */
export function saveScanState(root: string, state: ScanState): void {
  const target = scanStatePath(root);
  const temp = path.join(path.dirname(target), tempNameFor(FILE_NAME));
  const header = { format: FORMAT, id: randomBytes(8).toString('hex'), scanStartedAtNs: state.scanStartedAtNs?.toString(), granularityNs: state.granularityNs?.toString() };
  const lines = [JSON.stringify(header), ...state.records.map(serializeRecord)];
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    replaceFileDurably(target, temp, `${lines.join('\n')}\n`, 0o600);
  } catch (error) {
    throw toFolderError(error, target, 'writing');
  }
  // The old log names the old base: were its removal lost, its blocks would be ignored all the same.
  fs.rmSync(scanStateLogPath(root), { force: true });
}

/**
 * Saves `current` (records in any order, by path) over the state `previous` was loaded as: appends the records
 * that differ to the log when it stays small, else writes a new base (records sorted by path).
 */
export function saveScanStateChanges(root: string, header: Omit<ScanState, 'records'>, current: ReadonlyMap<string, FileRecord> | readonly FileRecord[], previous: Pick<LoadedScanState, 'byPath' | 'stored'>): void {
  const stored = previous.stored;
  const records = Array.isArray(current) ? (current as readonly FileRecord[]) : [...(current as ReadonlyMap<string, FileRecord>).values()];
  const full = () => saveScanState(root, { ...header, records: [...records].sort(byPathOrder) });
  if (stored?.baseId === undefined || !stored.logClean) return full();
  const lines: string[] = [];
  let kept = 0;
  for (const record of records) {
    const before = previous.byPath.get(record.path);
    if (before !== undefined) kept += 1;
    if (before === record) continue;
    const line = serializeRecord(record);
    if (before === undefined || serializeRecord(before) !== line) lines.push(line);
  }
  const changed = lines.length;
  if (kept < previous.byPath.size) {
    const paths = Array.isArray(current) ? new Set(records.map((record) => record.path)) : (current as ReadonlyMap<string, FileRecord>);
    for (const recordPath of previous.byPath.keys()) if (!paths.has(recordPath)) lines.push(escapeField(recordPath));
  }
  const blockHeader = { base: stored.baseId, scanStartedAtNs: header.scanStartedAtNs?.toString(), granularityNs: header.granularityNs?.toString(), records: changed, removed: lines.length - changed };
  const body = Buffer.from(`@${JSON.stringify(blockHeader)}\n${lines.map((line) => `${line}\n`).join('')}`);
  const block = Buffer.concat([body, Buffer.from(`#${createHash('sha256').update(body).digest('hex')}\n`)]);
  if (stored.logBytes + block.length > Math.max(stored.baseBytes * LOG_FRACTION, LOG_MIN_BYTES)) return full();
  const logPath = scanStateLogPath(root);
  try {
    appendBlock(logPath, block);
  } catch {
    // A file system that cannot extend a file (FAT through fusefat: EPERM) still takes a new base, written as a
    // new file; that also removes whatever part of the block reached the log.
    return full();
  }
  if (stored.logBytes === 0) syncDirectory(path.dirname(logPath)); // the log may be new: its name must last too
}

function appendBlock(logPath: string, block: Buffer): void {
  const descriptor = fs.openSync(logPath, 'a', 0o600);
  try {
    fs.writeFileSync(descriptor, block);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}

/**
 * Finds a path's position in the base's records: by binary search, a base being written sorted by path; through
 * a map when it is not (a base edited by hand).
 */
function positionFinder(records: readonly FileRecord[]): (recordPath: string) => number {
  let sorted = true;
  for (let index = 1; index < records.length && sorted; index += 1) sorted = (records[index - 1] as FileRecord).path < (records[index] as FileRecord).path;
  if (!sorted) {
    const positions = new Map(records.map((record, position) => [record.path, position]));
    return (recordPath) => positions.get(recordPath) ?? -1;
  }
  return (recordPath) => {
    let low = 0;
    let high = records.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const candidate = (records[middle] as FileRecord).path;
      if (candidate === recordPath) return middle;
      if (candidate < recordPath) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  };
}

const byPathOrder = (a: FileRecord, b: FileRecord) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** `base` (in its order) with the sorted `added` merged in where they sort. */
function mergeSorted(base: readonly FileRecord[], added: readonly FileRecord[]): FileRecord[] {
  const out: FileRecord[] = [];
  let next = 0;
  for (const record of base) {
    while (next < added.length && (added[next] as FileRecord).path < record.path) out.push(added[next++] as FileRecord);
    out.push(record);
  }
  while (next < added.length) out.push(added[next++] as FileRecord);
  return out;
}

const NEWLINE = 0x0a;
const TAB = 0x09;
const AT = 0x40;
const HASH_SIGN = 0x23;
const BACKSLASH = 0x5c;

/**
 * One record line: tab-separated fields (path, kind, size, mtime, ctime, inode, mode, hash, link target), names
 * escaped so tabs and newlines in them survive. Read from the bytes by hand: each string is a fresh copy (a
 * slice of the whole file's text would keep all of it in memory) and no intermediate strings or arrays are made
 * for 100,000 records, two sides. A bad line throws and the whole state is then treated as absent.
 */
function parseRecord(data: Buffer, start: number, to: number): FileRecord | undefined {
  // Start of each field and, one past the last, its end + 1 (the same array reused from record to record).
  const at = FIELDS;
  let count = 0;
  let last = -1;
  let plain = true;
  let position = start;
  at[0] = start;
  for (; position < to; position += 1) {
    const byte = data[position] as number;
    if (byte === NEWLINE) break;
    if (byte >= 0x80 || byte === BACKSLASH) plain = false;
    else if (byte === TAB && last < 0) {
      if (count === 8) last = position; // fields after the ninth are ignored
      else at[(count += 1)] = position + 1;
    }
  }
  recordEnd = position;
  plainLine = plain;
  if (position === start) return undefined; // an empty line
  if (last < 0) last = position;
  for (let field = count + 1; field <= 9; field += 1) at[field] = last + 1;
  if (count < 6 || at[1] - 1 === at[0]) throw new Error('bad scan-state record: missing fields');
  const mtimeNs = bigintAt(data, at[3], at[4] - 1);
  const ctimeNs = at[5] - at[4] <= 1 ? undefined : at[5] - at[4] === at[4] - at[3] && sameBytes(data, at[3], at[4] - 1, data, at[4]) ? mtimeNs : bigintAt(data, at[4], at[5] - 1);
  // One object per record, every field in the literal (absent ones undefined): one shape, all fields in the object.
  const record: FileRecord = {
    path: textAt(data, at[0], at[1] - 1),
    kind: kindAt(data, at[1], at[2] - 1),
    size: numberAt(data, at[2], at[3] - 1),
    mtimeNs,
    ctimeNs,
    ino: bigintAt(data, at[5], at[6] - 1),
    mode: numberAt(data, at[6], at[7] - 1),
    hash: at[8] - at[7] > 1 ? textAt(data, at[7], at[8] - 1, false) : undefined,
    linkTarget: at[9] - at[8] > 1 ? textAt(data, at[8], at[9] - 1) : undefined,
  };
  return record;
}

/** Where the line `parseRecord` just read ends (its newline, or the end of the data). */
let recordEnd = 0;
/** Whether that line is plain ASCII without backslashes (its text fields then need no decoding nor unescaping). */
let plainLine = true;

/** Start of each field (and one past the last), reused from record to record. */
const FIELDS: [number, number, number, number, number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

const KINDS = (['file', 'directory', 'symlink'] as const).map((kind) => ({ kind, bytes: Buffer.from(kind) }));

function kindAt(data: Buffer, start: number, end: number): FileRecord['kind'] {
  for (const { kind, bytes } of KINDS) if (bytes.length === end - start && sameBytes(data, start, end, bytes, 0)) return kind;
  throw new Error('bad scan-state record: unknown kind');
}

/** A text field: a copy of its bytes (Latin-1 when plain ASCII, the cheapest decoding), names unescaped. */
function textAt(data: Buffer, start: number, end: number, escapable = true): string {
  if (plainLine) return latin1(data, start, end);
  let ascii = true;
  let escaped = false;
  for (let position = start; position < end; position += 1) {
    const byte = data[position] as number;
    if (byte >= 0x80) ascii = false;
    else if (byte === BACKSLASH) escaped = true;
  }
  const text = ascii ? latin1(data, start, end) : data.toString('utf8', start, end);
  return escaped && escapable ? unescapeField(text) : text;
}

/** `Buffer#latin1Slice` (what `toString('latin1', …)` calls after checking its arguments), where Node has it. */
type Latin1Slicing = Buffer & { latin1Slice(start: number, end: number): string };
const latin1: (data: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as Partial<Latin1Slicing>).latin1Slice === 'function' ? (data, start, end) => (data as Latin1Slicing).latin1Slice(start, end) : (data, start, end) => data.toString('latin1', start, end);

/** A decimal number field (sizes and modes: well within 2^53). */
function numberAt(data: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) throw new Error('bad scan-state record: bad number');
  let value = 0;
  for (let position = start; position < end; position += 1) {
    const digit = (data[position] as number) - 0x30;
    if (digit < 0 || digit > 9) throw new Error('bad scan-state record: bad number');
    value = value * 10 + digit;
  }
  return value;
}

/** A decimal bigint field (nanoseconds, inode numbers): up to 15 digits as one number, else as two. */
function bigintAt(data: Buffer, start: number, end: number): bigint {
  if (end - start <= 15) return BigInt(numberAt(data, start, end));
  if (end - start > 24) throw new Error('bad scan-state record: bad number');
  const high = numberAt(data, start, end - 9);
  // Times of one tree share their seconds often enough to keep the last product.
  if (high !== lastHigh) {
    lastHigh = high;
    lastHighNs = BigInt(high) * 1_000_000_000n;
  }
  return lastHighNs + BigInt(numberAt(data, end - 9, end));
}

let lastHigh = -1;
let lastHighNs = 0n;

/** Whether `data[start, end)` equals the bytes of `other` from `otherStart`. */
function sameBytes(data: Buffer, start: number, end: number, other: Buffer, otherStart: number): boolean {
  for (let offset = 0; offset < end - start; offset += 1) if (data[start + offset] !== other[otherStart + offset]) return false;
  return true;
}

function serializeRecord(record: FileRecord): string {
  const fields = [escapeField(record.path), record.kind, record.size, record.mtimeNs, record.ctimeNs ?? '', record.ino, record.mode, record.hash ?? '', record.linkTarget === undefined ? '' : escapeField(record.linkTarget)];
  return fields.join('\t');
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const UNESCAPES: Record<string, string> = { '\\\\': '\\', '\\t': '\t', '\\n': '\n', '\\r': '\r' };

function escapeField(text: string): string {
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (character) => ESCAPES[character] ?? character) : text;
}

function unescapeField(text: string): string {
  return text.includes('\\') ? text.replace(/\\[\\tnr]/g, (pair) => UNESCAPES[pair] ?? pair) : text;
}
