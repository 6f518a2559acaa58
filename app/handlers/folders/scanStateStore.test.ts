import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileRecord } from './changeDetector.ts';
import { loadScanState, saveScanState, scanStatePath } from './scanStateStore.ts';
import { makeTempDir, removeTempDirs } from './testFolders.ts';

afterAll(removeTempDirs);

const records: FileRecord[] = [
  { path: 'plain.txt', kind: 'file', size: 12, mtimeNs: 1_795_324_737_472_787_323n, ctimeNs: 1_795_324_737_472_787_324n, ino: 2n ** 63n + 5n, mode: 0o644, hash: 'ab'.repeat(32) },
  { path: 'odd\tname\nwith\\escapes\r.txt', kind: 'file', size: 0, mtimeNs: 0n, ino: 1n, mode: 0o600, hash: 'cd'.repeat(32) },
  { path: 'dir', kind: 'directory', size: 4096, mtimeNs: 5n, ctimeNs: 6n, ino: 7n, mode: 0o755 },
  { path: 'caf\u00e9/link', kind: 'symlink', size: 3, mtimeNs: 8n, ino: 9n, mode: 0o777, hash: 'ef'.repeat(32), linkTarget: '../a\tb\\c' },
];

describe('scan state', () => {
  it('is empty before the first save', () => {
    expect(loadScanState(makeTempDir())).toEqual({ scanStartedAtNs: undefined, granularityNs: undefined, records: [] });
  });

  it('round-trips records exactly: 64-bit inodes, nanoseconds, tabs, newlines and backslashes in names', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1_795_324_870_660_780_971n, granularityNs: 1_000_000_000n, records });
    expect(loadScanState(root)).toEqual({ scanStartedAtNs: 1_795_324_870_660_780_971n, granularityNs: 1_000_000_000n, records });
    expect(fs.readdirSync(`${root}/.synccenter`)).toEqual(['scan-state.tsv']); // no temp file left
  });

  it('treats a damaged file as absent (everything is re-hashed, nothing is lost)', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records });
    fs.appendFileSync(scanStatePath(root), 'garbage line\n');
    expect(loadScanState(root).records).toEqual([]);
  });
});
