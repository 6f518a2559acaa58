/**
 * The per-file records of a replica's last scan (stat + content hash), with that scan's start time and the file
 * system's measured timestamp granularity: what `detectChanges` compares the next scan with. Kept in
 * `<root>/.synccenter/scan-state.tsv` (a JSON header line, then one tab-separated record per line), written to a temporary file, fsynced and renamed, so a crash leaves the old state or the new one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { FileRecord } from './changeDetector.ts';
import { syncDirectory } from './fileTransfer.ts';
import { METADATA_DIR, tempNameFor } from './tempNames.ts';

/** The scan state of one replica. */
export interface ScanState {
  /** Start of the scan the records come from (ns, file-system clock); undefined before the first scan. */
  readonly scanStartedAtNs: bigint | undefined;
  /** Measured once per replica and kept (see fileSystemClock). */
  readonly granularityNs: bigint | undefined;
  readonly records: readonly FileRecord[];
}

const FILE_NAME = 'scan-state.tsv';
const FORMAT = 2;

const bigintText = z.string().regex(/^\d+$/).transform((text) => BigInt(text));
const headerSchema = z.object({ format: z.literal(FORMAT), scanStartedAtNs: bigintText.optional(), granularityNs: bigintText.optional() });

/** The state file of the replica at `root`. */
export function scanStatePath(root: string): string {
  return path.join(root, METADATA_DIR, FILE_NAME);
}

/**
 * Loads the scan state; an absent file is an empty state. An unreadable or damaged file is also treated as
 * empty: every file is then re-hashed and compared with the sync metadata, which is slower but loses nothing.
 */
export function loadScanState(root: string): ScanState {
  let text: string;
  try {
    text = fs.readFileSync(scanStatePath(root), 'utf8');
  } catch {
    return { scanStartedAtNs: undefined, granularityNs: undefined, records: [] };
  }
  try {
    return parseScanState(text);
  } catch {
    return { scanStartedAtNs: undefined, granularityNs: undefined, records: [] };
  }
}

function parseScanState(text: string): ScanState {
  const lines = text.split('\n');
  const header = headerSchema.parse(JSON.parse(lines[0] ?? '{}'));
  const records: FileRecord[] = [];
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line.length > 0) records.push(parseRecord(line));
  }
  return { scanStartedAtNs: header.scanStartedAtNs, granularityNs: header.granularityNs, records };
}

/** Writes the state atomically and durably (temp file, fsync, rename, fsync of the folder). */
export function saveScanState(root: string, state: ScanState): void {
  const target = scanStatePath(root);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), tempNameFor(FILE_NAME));
  const header = { format: FORMAT, scanStartedAtNs: state.scanStartedAtNs?.toString(), granularityNs: state.granularityNs?.toString() };
  const lines = [JSON.stringify(header), ...state.records.map(serializeRecord)];
  const descriptor = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(descriptor, `${lines.join('\n')}\n`);
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
  fs.renameSync(temp, target);
  syncDirectory(path.dirname(target));
}


/**
 * One record line: tab-separated fields (path, kind, size, mtime, ctime, inode, mode, hash, link target), names
 * escaped so tabs and newlines in them survive. Checked by hand, as zod or JSON per record would triple the
 * load time of 100,000 records; a bad line throws and the whole state is then treated as absent.
 */
function parseRecord(line: string): FileRecord {
  const [path, kind, size, mtime, ctime, ino, mode, hash, linkTarget] = line.split('\t');
  const kindOk = kind === 'file' || kind === 'directory' || kind === 'symlink';
  if (path === undefined || path === '' || !kindOk || size === undefined || mtime === undefined || ino === undefined || mode === undefined) {
    throw new Error(`bad scan-state record: ${line.slice(0, 200)}`);
  }
  // One object per record, its optional fields set in place (no spreads: 100,000 records, two sides).
  const record: { -readonly [K in keyof FileRecord]: FileRecord[K] } = { path: unescapeField(path), kind, size: Number(size), mtimeNs: BigInt(mtime), ino: BigInt(ino), mode: Number(mode) };
  if (ctime !== undefined && ctime !== '') record.ctimeNs = ctime === mtime ? record.mtimeNs : BigInt(ctime);
  if (hash !== undefined && hash !== '') record.hash = hash;
  if (linkTarget !== undefined && linkTarget !== '') record.linkTarget = unescapeField(linkTarget);
  return record;
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
