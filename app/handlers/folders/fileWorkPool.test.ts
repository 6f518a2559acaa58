import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { hashFileSync } from './contentHash.ts';
import type { CopyRequest, PreparedFile } from './copyToTemp.ts';
import { CanceledError, FileSystemError, NoSpaceError, SourceChangedError, UnsafeNameError, folderErrorData, reviveFolderError, type Settled } from './errors.ts';
import { FileTransfer } from './fileTransfer.ts';
import { loadScanState } from './scanStateStore.ts';
import { syncFolderPair } from './syncFolderPair.ts';
import { FileWorkPool, POOL_FROM } from './fileWorkPool.ts';
import { makeTempDir, removeTempDirs } from './testFolders.ts';
import { Trash } from './trash.ts';

afterAll(removeTempDirs);

// Pools here hand runs of FROM or more to their threads (the product's threshold, POOL_FROM, is far higher).
const FROM = 128;
const FILES = FROM + 72; // more than one chunk per thread, and enough for prepareAll to use the threads

/** `count` files of different sizes and modes under two folders of `root`, with their scanned identities. */
function sourceTree(root: string, count = FILES): CopyRequest[] {
  const destinationRoot = makeTempDir('pool-destination');
  return Array.from({ length: count }, (_, index) => {
    const sourcePath = `d${index % 2}/f${index}.bin`;
    const absolute = path.join(root, sourcePath);
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, Buffer.alloc(1 + ((index * 977) % 40_000), index % 251));
    fs.chmodSync(absolute, index % 3 === 0 ? 0o600 : 0o644);
    const stat = fs.statSync(absolute, { bigint: true });
    return { sourceRoot: root, sourcePath, destinationRoot, destinationPath: sourcePath, expectedSource: { size: Number(stat.size), mtimeNs: stat.mtimeNs, ino: stat.ino } };
  });
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function expectCopies(requests: readonly CopyRequest[], settled: readonly Settled<PreparedFile>[]): void {
  expect(settled).toHaveLength(requests.length);
  settled.forEach((result, index) => {
    const request = requests[index] as CopyRequest;
    if (!result.ok) throw result.error;
    const source = path.join(request.sourceRoot, request.sourcePath);
    expect(result.value.destinationPath).toBe(request.destinationPath); // in input order
    expect(path.dirname(result.value.tempPath)).toBe(path.dirname(path.join(request.destinationRoot, request.destinationPath)));
    expect(fs.readFileSync(result.value.tempPath).equals(fs.readFileSync(source))).toBe(true);
    expect(result.value.hash).toBe(sha256(source));
    const [copy, original] = [fs.statSync(result.value.tempPath, { bigint: true }), fs.statSync(source, { bigint: true })];
    expect(copy.mode & 0o777n).toBe(original.mode & 0o777n);
    // utimes takes seconds as a double: the copy's mtime is the source's to within a microsecond.
    expect(Number(copy.mtimeNs - original.mtimeNs)).toBeLessThan(1000);
    expect(Number(original.mtimeNs - copy.mtimeNs)).toBeLessThan(1000);
  });
}

describe('the file work pool copies and hashes small files on threads', () => {
  it('copies each file into a temporary file beside its destination, in order, with its mode, mtime and hash', async () => {
    const requests = sourceTree(makeTempDir('pool-source'));
    const pool = new FileWorkPool(2, FROM);
    const reported: number[] = [];
    try {
      const settled = await pool.copy(requests, { onChunk: (start, results) => results.forEach((_, offset) => reported.push(start + offset)) });
      expectCopies(requests, settled);
      // Every job was reported exactly once, chunk by chunk.
      expect(reported.sort((a, b) => a - b)).toEqual(requests.map((_, index) => index));
    } finally {
      await pool.close();
    }
  });

  it('fails each bad job alone, with the error of its own class: a changed source, an unsafe name, a missing file', async () => {
    const root = makeTempDir('pool-source');
    const requests = sourceTree(root);
    const changed = requests[5] as CopyRequest;
    fs.appendFileSync(path.join(root, changed.sourcePath), 'more'); // a different size than scanned
    requests[7] = { ...(requests[7] as CopyRequest), destinationPath: '../outside.bin' };
    fs.rmSync(path.join(root, (requests[9] as CopyRequest).sourcePath));
    const pool = new FileWorkPool(2, FROM);
    try {
      const settled = await pool.copy(requests);
      const failures = settled.flatMap((result, index) => (result.ok ? [] : [[index, result.error] as const]));
      expect(failures.map(([index]) => index)).toEqual([5, 7, 9]);
      const [[, source], [, unsafe], [, missing]] = failures as unknown as [[number, Error], [number, Error], [number, Error]];
      expect(source).toBeInstanceOf(SourceChangedError);
      expect(source).toMatchObject({ code: 'SOURCE_CHANGED', path: changed.sourcePath, message: expect.stringContaining('it differs from the scan') });
      expect(unsafe).toBeInstanceOf(UnsafeNameError);
      expect(unsafe.message).toContain('../outside.bin');
      expect(missing).toBeInstanceOf(FileSystemError);
      expect(missing.message).toContain('ENOENT');
      expect(fs.readdirSync(path.dirname(path.join(changed.destinationRoot, changed.destinationPath))).filter((name) => name.startsWith('f5.bin'))).toEqual([]);
      expectCopies(
        requests.filter((_, index) => ![5, 7, 9].includes(index)),
        settled.filter((_, index) => ![5, 7, 9].includes(index)),
      );
    } finally {
      await pool.close();
    }
  });

  it('stops between chunks: what was not sent fails as canceled and leaves no temporary file', async () => {
    const requests = sourceTree(makeTempDir('pool-source'));
    const pool = new FileWorkPool(1, FROM);
    const stop = new AbortController();
    try {
      const settled = await pool.copy(requests, { signal: stop.signal, onChunk: () => stop.abort() });
      const done = settled.filter((result) => result.ok).length;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(requests.length);
      const canceled = settled.filter((result) => !result.ok);
      for (const result of canceled) expect(result.ok ? undefined : result.error).toBeInstanceOf(CanceledError);
      const destinationRoot = (requests[0] as CopyRequest).destinationRoot;
      const left = fs.readdirSync(destinationRoot, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(left).toHaveLength(done); // only the finished copies, for the caller to install or discard
    } finally {
      await pool.close();
    }
  });

  it('a thread that ends mid-run costs time, not files: its chunks run on the calling thread', async () => {
    const requests = sourceTree(makeTempDir('pool-source'));
    const pool = new FileWorkPool(2, FROM);
    let ended: Promise<void> | undefined;
    try {
      const settled = await pool.copy(requests, { onChunk: () => (ended ??= pool.close()) });
      await ended;
      expectCopies(requests, settled);
      // And the next run starts new threads.
      const again = sourceTree(makeTempDir('pool-source'), 40);
      expectCopies(again, await pool.copy(again));
    } finally {
      await pool.close();
    }
  });

  it('hashes as hashFileSync does; an unreadable file fails alone', async () => {
    const root = makeTempDir('pool-source');
    const requests = sourceTree(root);
    const jobs = requests.map((request) => ({ absolutePath: path.join(root, request.sourcePath), displayPath: request.sourcePath, size: request.expectedSource?.size ?? 0 }));
    fs.rmSync((jobs[3] as { absolutePath: string }).absolutePath);
    const pool = new FileWorkPool(2, FROM);
    try {
      const settled = await pool.hash(jobs);
      settled.forEach((result, index) => {
        if (index === 3) expect(result.ok ? undefined : result.error).toMatchObject({ code: 'IO_ERROR', path: jobs[3]?.displayPath });
        else expect(result).toEqual({ ok: true, value: hashFileSync(jobs[index]?.absolutePath as string, 'x') });
      });
    } finally {
      await pool.close();
    }
  });

  it('a folder error crosses the thread boundary as data and comes back of its class, with its text', () => {
    const error = new NoSpaceError('big.iso');
    const revived = reviveFolderError(structuredClone(folderErrorData(error)));
    expect(revived).toBeInstanceOf(NoSpaceError);
    expect(revived).toBeInstanceOf(Error);
    expect(revived).toMatchObject({ name: 'NoSpaceError', code: 'NO_SPACE', path: 'big.iso', message: error.message, text: error.text });
  });
});

describe('FileTransfer.prepareAll with and without threads', () => {
  it('prepares the same copies, reports the same bytes and installs them alike', async () => {
    const outcomes: string[][] = [];
    for (const workPool of [null, new FileWorkPool(2, FROM)]) {
      const requests = sourceTree(makeTempDir('pool-source'));
      const destinationRoot = (requests[0] as CopyRequest).destinationRoot;
      let bytes = 0;
      const transfer = new FileTransfer(destinationRoot, new Trash(destinationRoot), { workPool, onBytes: (count) => (bytes += count) });
      try {
        const prepared = await transfer.prepareAll(requests.map(({ destinationRoot: _, ...request }) => request));
        expectCopies(requests, prepared);
        expect(bytes).toBe(requests.reduce((sum, request) => sum + (request.expectedSource?.size ?? 0), 0));
        for (const result of prepared) if (result.ok) transfer.install(result.value, { kind: 'absent' });
        outcomes.push(requests.map((request) => `${request.destinationPath} ${sha256(path.join(destinationRoot, request.destinationPath))}`));
      } finally {
        await workPool?.close();
      }
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

describe('a folder pair synced with and without threads', () => {
  it('records the same content hashes on both sides, and the next sync finds nothing to do', async () => {
    const recorded: string[][] = [];
    for (const workPool of [null, new FileWorkPool(2, FROM)]) {
      const left = makeTempDir('pool-left');
      const right = makeTempDir('pool-right');
      sourceTree(left);
      const calls = workPool === null ? undefined : [vi.spyOn(workPool, 'hash'), vi.spyOn(workPool, 'copy')];
      try {
        const first = await syncFolderPair(left, right, { workPool });
        expect(first.statistics.leftToRight).toMatchObject({ failed: 0 });
        const second = await syncFolderPair(left, right, { workPool, knownReplicas: first.replicas });
        expect(second.statistics.leftToRight?.applied ?? 0).toBe(0);
        expect(second.statistics.rightToLeft?.applied ?? 0).toBe(0);
        const hashes = (root: string) => [...loadScanState(root).byPath.values()].filter((record) => record.kind === 'file').map((record) => `${record.path} ${record.hash}`).sort();
        expect(hashes(right)).toEqual(hashes(left));
        for (const line of hashes(left)) expect(line.split(' ')[1]).toBe(sha256(path.join(left, line.split(' ')[0] as string)));
        recorded.push(hashes(left));
        // With the pool, the plan's hashes and the copies were made on its threads.
        for (const spy of calls ?? []) expect(spy.mock.calls.map(([jobs]) => jobs.length)).toContain(FILES);
      } finally {
        await workPool?.close();
      }
    }
    expect(recorded[1]).toEqual(recorded[0]);
    expect(recorded[0]).toHaveLength(FILES);
  });
});

describe('threads started ahead', () => {
  it('warm() starts the threads once, and the next run uses them', async () => {
    const pool = new FileWorkPool(2, FROM);
    try {
      expect(pool.running).toBe(0);
      pool.warm();
      pool.warm();
      expect(pool.running).toBe(2);
      const requests = sourceTree(makeTempDir('warm-source'));
      expectCopies(requests, await pool.copy(requests));
      expect(pool.running).toBe(2);
    } finally {
      await pool.close();
    }
    expect(pool.running).toBe(0);
  });

  it('a side whose scan finds FROM files more than its last scan warms them while scanning; a re-sync does not', async () => {
    const pool = new FileWorkPool(2, FROM);
    const warm = vi.spyOn(pool, 'warm');
    const left = makeTempDir('warm-left');
    const right = makeTempDir('warm-right');
    sourceTree(left);
    try {
      const first = await syncFolderPair(left, right, { workPool: pool });
      expect(warm).toHaveBeenCalled();
      warm.mockClear();
      await syncFolderPair(left, right, { workPool: pool, knownReplicas: first.replicas });
      expect(warm).not.toHaveBeenCalled();
    } finally {
      await pool.close();
    }
  });
});

describe("the process's shared pool", () => {
  const sharedPool = (env: NodeJS.ProcessEnv) => {
    const script = `const { sharedFileWorkPool } = await import(${JSON.stringify(path.join(import.meta.dirname, 'fileWorkPool.ts'))}); const pool = sharedFileWorkPool(); console.log(JSON.stringify(pool === undefined ? null : { size: pool.size, from: pool.from }));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, SYNCCENTER_FILE_THREADS: '', SYNCCENTER_FILE_THREADS_FROM: '', ...env } });
    expect(result.stderr).toBe('');
    return JSON.parse(result.stdout) as { size: number; from: number } | null;
  };

  it('takes its thread count and threshold from the environment; 0 threads is none', () => {
    expect(sharedPool({ SYNCCENTER_FILE_THREADS: '3', SYNCCENTER_FILE_THREADS_FROM: '64' })).toEqual({ size: 3, from: 64 });
    expect(sharedPool({ SYNCCENTER_FILE_THREADS: '2', SYNCCENTER_FILE_THREADS_FROM: 'lots' })).toEqual({ size: 2, from: POOL_FROM });
    expect(sharedPool({ SYNCCENTER_FILE_THREADS: '0' })).toBeNull();
  });
});
