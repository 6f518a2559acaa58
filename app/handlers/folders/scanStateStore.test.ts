import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FileRecord } from './changeDetector.ts';
import { loadScanState, saveScanState, saveScanStateChanges, scanStateLogPath, scanStatePath, type ScanState } from './scanStateStore.ts';
import { tempNameFor } from './tempNames.ts';
import { makeTempDir, removeTempDirs } from './testFolders.ts';

afterAll(removeTempDirs);

const records: FileRecord[] = [
  { path: 'plain.txt', kind: 'file', size: 12, mtimeNs: 1_795_324_737_472_787_323n, ctimeNs: 1_795_324_737_472_787_324n, ino: 2n ** 63n + 5n, mode: 0o644, hash: 'ab'.repeat(32) },
  { path: 'odd\tname\nwith\\escapes\r.txt', kind: 'file', size: 0, mtimeNs: 0n, ino: 1n, mode: 0o600, hash: 'cd'.repeat(32) },
  { path: 'dir', kind: 'directory', size: 4096, mtimeNs: 5n, ctimeNs: 6n, ino: 7n, mode: 0o755 },
  { path: 'caf\u00e9/link', kind: 'symlink', size: 3, mtimeNs: 8n, ino: 9n, mode: 0o777, hash: 'ef'.repeat(32), linkTarget: '../a\tb\\c' },
];

/** The state part of a loaded state. */
const stateOf = (loaded: ScanState): ScanState => ({ scanStartedAtNs: loaded.scanStartedAtNs, granularityNs: loaded.granularityNs, records: loaded.records });

const file = (name: string, size = 1): FileRecord => ({ path: name, kind: 'file', size, mtimeNs: 1_795_324_737_472_787_323n + BigInt(size), ctimeNs: 1_795_324_737_472_787_323n + BigInt(size), ino: BigInt(size), mode: 0o644, hash: 'ab'.repeat(32) });
const byPath = (list: readonly FileRecord[]) => new Map(list.map((record) => [record.path, record]));
const sorted = (list: readonly FileRecord[]) => [...list].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

describe('scan state', () => {
  it('is empty before the first save', () => {
    expect(stateOf(loadScanState(makeTempDir()))).toEqual({ scanStartedAtNs: undefined, granularityNs: undefined, records: [] });
  });

  it('fails to load, naming the file, when its base or log cannot be read (an I/O error is not "no scan state")', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records });
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, byPath([...records, file('new.txt')]), loadScanState(root));
    expect(fs.existsSync(scanStateLogPath(root))).toBe(true);
    for (const failing of [scanStatePath(root), scanStateLogPath(root)]) {
      const read = fs.readFileSync;
      const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((target: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
        if (target === failing) throw Object.assign(new Error('EIO: i/o error, open'), { code: 'EIO' });
        return (read as (...args: unknown[]) => unknown)(target, ...rest);
      }) as typeof fs.readFileSync);
      try {
        expect(() => loadScanState(root), failing).toThrow(expect.objectContaining({ code: "IO_ERROR", path: failing }));
      } finally {
        spy.mockRestore();
      }
    }
    expect(loadScanState(root).records.map((record) => record.path)).toContain('new.txt');
  });

  it('round-trips records exactly: 64-bit inodes, nanoseconds, tabs, newlines and backslashes in names', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1_795_324_870_660_780_971n, granularityNs: 1_000_000_000n, records });
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 1_795_324_870_660_780_971n, granularityNs: 1_000_000_000n, records });
    expect(fs.readdirSync(`${root}/.synccenter`)).toEqual(['scan-state.tsv']); // no temp file left
  });

  it('removes the temporary base a killed save left in the metadata folder, and nothing else there', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records });
    const stale = tempNameFor('scan-state.tsv');
    fs.writeFileSync(`${root}/.synccenter/${stale}`, 'half a base');
    fs.writeFileSync(`${root}/.synccenter/${tempNameFor('other.txt')}`, 'not the scan state\'s');
    expect(stateOf(loadScanState(root)).records).toEqual(records);
    expect(fs.readdirSync(`${root}/.synccenter`).filter((name) => name.startsWith('.scan-state'))).toEqual([]);
    expect(fs.readdirSync(`${root}/.synccenter`)).toHaveLength(2);
  });

  it('treats a damaged file as absent (everything is re-hashed, nothing is lost)', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records });
    fs.appendFileSync(scanStatePath(root), 'garbage line\n');
    expect(loadScanState(root).records).toEqual([]);
  });

  it('reads a base written before the log existed (no id), and replaces it with a base at the next save', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records });
    const text = fs.readFileSync(scanStatePath(root), 'utf8').replace(/"id":"[0-9a-f]+",/, '');
    fs.writeFileSync(scanStatePath(root), text);
    const loaded = loadScanState(root);
    expect(stateOf(loaded)).toEqual({ scanStartedAtNs: 1n, granularityNs: 1n, records });
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, byPath(records.slice(1)), loaded);
    expect(fs.existsSync(scanStateLogPath(root))).toBe(false);
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 2n, granularityNs: 1n, records: sorted(records.slice(1)) });
  });

  it('appends only the records that changed, and reads base + log as the state that was saved', () => {
    const root = makeTempDir();
    const base = Array.from({ length: 2000 }, (_, index) => file(`d/f${String(index).padStart(4, '0')}`, index + 1));
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: base });
    const baseText = fs.readFileSync(scanStatePath(root), 'utf8');
    // Change one, add two (one sorting first, one in the middle), remove one; an equal copy is not a change.
    let loaded = loadScanState(root);
    const next = new Map(loaded.byPath);
    next.set('d/f0005', file('d/f0005', 99_999));
    next.set('a-first', file('a-first', 7));
    next.set('d/f0005b', { ...file('d/f0005b', 8), path: 'd/f0005b\twith tab' });
    next.delete('d/f0005b');
    next.set('d/f0005b\twith tab', { ...file('d/f0005b', 8), path: 'd/f0005b\twith tab' });
    next.delete('d/f0010');
    next.set('d/f0011', { ...(next.get('d/f0011') as FileRecord) });
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, next, loaded);
    expect(fs.readFileSync(scanStatePath(root), 'utf8')).toBe(baseText); // the base is untouched
    const log = fs.readFileSync(scanStateLogPath(root), 'utf8');
    expect(log.split('\n').filter((line) => line !== '')).toHaveLength(6); // header, 3 records, 1 removal, checksum
    loaded = loadScanState(root);
    expect(stateOf(loaded)).toEqual({ scanStartedAtNs: 2n, granularityNs: 1n, records: sorted([...next.values()]) });
    // A second block on top of the first.
    const third = new Map(loaded.byPath);
    third.delete('a-first');
    third.set('d/f0010', file('d/f0010', 11));
    saveScanStateChanges(root, { scanStartedAtNs: 3n, granularityNs: 1n }, third, loaded);
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 3n, granularityNs: 1n, records: sorted([...third.values()]) });
  });

  it('writes a new base when the log cannot be extended (FAT through fusefat refuses appends: EPERM)', () => {
    const root = makeTempDir();
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: Array.from({ length: 200 }, (_, index) => file(`f${index}`, index + 1)) });
    const first = loadScanState(root);
    const next = new Map(first.byPath);
    next.set('f7', file('f7', 7_777));
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, next, first); // a first block: the log exists
    const loaded = loadScanState(root);
    const third = new Map(loaded.byPath);
    third.set('new', file('new', 5));
    const baseBefore = fs.readFileSync(scanStatePath(root), 'utf8');
    // Part of the block reaches the log, then the write fails.
    const write = vi.spyOn(fs, 'writeFileSync').mockImplementationOnce((descriptor, data) => {
      fs.writeSync(descriptor as number, (data as Buffer).subarray(0, 10));
      throw Object.assign(new Error('EPERM: operation not permitted, write'), { code: 'EPERM' });
    });
    try {
      saveScanStateChanges(root, { scanStartedAtNs: 3n, granularityNs: 1n }, third, loaded);
    } finally {
      write.mockRestore();
    }
    expect(fs.readFileSync(scanStatePath(root), 'utf8')).not.toBe(baseBefore); // a new base
    expect(fs.existsSync(scanStateLogPath(root))).toBe(false); // and no log, torn block and all
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 3n, granularityNs: 1n, records: sorted([...third.values()]) });
  });

  it('applies the log to a base that is not sorted (edited by hand) without duplicating or losing a path', () => {
    const root = makeTempDir();
    const base = Array.from({ length: 2000 }, (_, index) => file(`f${String(1999 - index).padStart(4, '0')}`, index + 1));
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: base });
    const loaded = loadScanState(root);
    const next = new Map(loaded.byPath).set('f0100', file('f0100', 77_777)).set('f0100x', file('f0100x', 5));
    next.delete('f1500');
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, next, loaded);
    const again = loadScanState(root);
    expect(sorted(again.records)).toEqual(sorted([...next.values()]));
    expect(again.byPath).toEqual(next);
  });

  it('ignores a torn or damaged block and everything after it, then writes a new base at the next save', () => {
    const root = makeTempDir();
    const base = Array.from({ length: 2000 }, (_, index) => file(`f${String(index).padStart(4, '0')}`, index + 1));
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: base });
    let loaded = loadScanState(root);
    const first = new Map(loaded.byPath).set('f0001', file('f0001', 50_000));
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, first, loaded);
    const afterFirst = fs.readFileSync(scanStateLogPath(root));
    loaded = loadScanState(root);
    const second = new Map(loaded.byPath).set('f0002', file('f0002', 60_000));
    saveScanStateChanges(root, { scanStartedAtNs: 3n, granularityNs: 1n }, second, loaded);
    const full = fs.readFileSync(scanStateLogPath(root));
    const expectFirst = () => expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 2n, granularityNs: 1n, records: sorted([...first.values()]) });
    // Torn at every length inside the second block: the first block's state, never part of the second.
    for (let length = afterFirst.length; length < full.length; length += 7) {
      fs.writeFileSync(scanStateLogPath(root), full.subarray(0, length));
      expectFirst();
      expect(loadScanState(root).stored?.logClean).toBe(length === afterFirst.length);
    }
    // A flipped byte in a record of the second block (same length, still a valid record): the checksum catches it.
    const damaged = Buffer.from(full);
    const at = damaged.indexOf('60000', afterFirst.length);
    damaged[at] = '7'.charCodeAt(0);
    fs.writeFileSync(scanStateLogPath(root), damaged);
    expectFirst();
    // The next save over the damaged log writes a new base (the damaged block is never built upon).
    loaded = loadScanState(root);
    saveScanStateChanges(root, { scanStartedAtNs: 4n, granularityNs: 1n }, loaded.byPath, loaded);
    expect(fs.existsSync(scanStateLogPath(root))).toBe(false);
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 4n, granularityNs: 1n, records: sorted([...first.values()]) });
  });

  it('ignores the blocks of another base (a new base whose old log could not be removed)', () => {
    const root = makeTempDir();
    const base = Array.from({ length: 2000 }, (_, index) => file(`f${String(index).padStart(4, '0')}`, index + 1));
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: base });
    const loaded = loadScanState(root);
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, new Map(loaded.byPath).set('f0001', file('f0001', 50_000)), loaded);
    const oldLog = fs.readFileSync(scanStateLogPath(root));
    saveScanState(root, { scanStartedAtNs: 3n, granularityNs: 1n, records: base });
    fs.writeFileSync(scanStateLogPath(root), oldLog);
    expect(stateOf(loadScanState(root))).toEqual({ scanStartedAtNs: 3n, granularityNs: 1n, records: base });
    expect(loadScanState(root).stored?.logClean).toBe(false);
  });

  it('folds the log into a new base once it outgrows its share of the base', () => {
    const root = makeTempDir();
    const base = Array.from({ length: 2000 }, (_, index) => file(`f${String(index).padStart(4, '0')}`, index + 1));
    saveScanState(root, { scanStartedAtNs: 1n, granularityNs: 1n, records: base });
    let loaded = loadScanState(root);
    // Rewriting every record is more than the log may hold.
    const all = new Map([...loaded.byPath].map(([name, record]) => [name, { ...record, size: record.size + 1 }]));
    saveScanStateChanges(root, { scanStartedAtNs: 2n, granularityNs: 1n }, all, loaded);
    expect(fs.existsSync(scanStateLogPath(root))).toBe(false);
    loaded = loadScanState(root);
    expect(stateOf(loaded)).toEqual({ scanStartedAtNs: 2n, granularityNs: 1n, records: sorted([...all.values()]) });
  });
});
