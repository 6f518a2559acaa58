/**
 * The per-file records of a replica's last scan (stat + content hash), with that scan's start time and the file
 * system's measured timestamp granularity: what `detectChanges` compares the next scan with. Kept in
 * `<root>/.synccenter/scan-state.ndjson` (one JSON record per line, so 100,000 files load without one huge
 * string), written to a temporary file, fsynced and renamed, so a crash leaves the old state or the new one.
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

const FILE_NAME = 'scan-state.ndjson';
const FORMAT = 1;

const bigintText = z.string().regex(/^\d+$/).transform((text) => BigInt(text));
const headerSchema = z.object({ format: z.literal(FORMAT), scanStartedAtNs: bigintText.optional(), granularityNs: bigintText.optional() });
const recordSchema = z.object({
  path: z.string().min(1),
  kind: z.enum(['file', 'directory', 'symlink']),
  size: z.number().int().nonnegative(),
  mtimeNs: bigintText,
  ctimeNs: bigintText.optional(),
  ino: bigintText,
  mode: z.number().int().nonnegative(),
  hash: z.string().optional(),
  linkTarget: z.string().optional(),
});

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
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = headerSchema.parse(JSON.parse(lines[0] ?? '{}'));
  const records: FileRecord[] = [];
  for (const line of lines.slice(1)) records.push(withoutUndefined(recordSchema.parse(JSON.parse(line))));
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

function serializeRecord(record: FileRecord): string {
  return JSON.stringify({ ...record, mtimeNs: record.mtimeNs.toString(), ctimeNs: record.ctimeNs?.toString(), ino: record.ino.toString() });
}

function withoutUndefined(parsed: z.infer<typeof recordSchema>): FileRecord {
  const { ctimeNs, hash, linkTarget, ...base } = parsed;
  return { ...base, ...(ctimeNs === undefined ? {} : { ctimeNs }), ...(hash === undefined ? {} : { hash }), ...(linkTarget === undefined ? {} : { linkTarget }) };
}
