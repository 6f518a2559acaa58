/**
 * Folder handler benchmark (`npm run bench -- folders`), measured in the same run as the reference tools on
 * generated trees, alternating tools run by run and copying into fresh folders, printing medians and ratios:
 *
 * - initial sync of FILES files of 1–64 KiB, durability included: target ≤ 1.25 × `cp -a` (also `cp -a` followed
 *   by `sync -f`, what durability alone costs, and `rsync -a` and `rsync -a --fsync`; a durable copy in Node with no
 *   sync logic, `bench/fixtures/durableCopy.ts`, what the runtime costs before any bookkeeping; and ours with no
 *   threads beside the sync's own, what the file work pool gains);
 * - no-op re-sync of SMALL small files: target ≤ 1.5 × `unison` (archives warm), and `rsync -a`;
 * - re-sync after 100 files changed among SMALL: target ≤ 1.5 × `unison`;
 * - peak memory at SMALL files (our sync in a child process, on a worker with the session workers' limits):
 *   target ≤ 250 MB;
 * - first sync of SMALL files already on both sides (a tree copied by hand before the pair was made), against
 *   unison's first sync of the same (no target: both must read every file on both sides).
 *
 * `rsync` and `unison` come from Debian packages, installed with apt-get when missing and running as root;
 * a missing tool is reported and its ratio skipped. Sizes: `BENCH_FILES` (default 10000), `BENCH_SMALL`
 * (default 100000), `BENCH_RUNS` (default 3). `--only initial|resync|twins` runs one part. The trees go under
 * `os.tmpdir()`, so `TMPDIR` picks the file system measured (a journaled ext4 and one without a journal differ a lot).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { syncFolderPair, type FolderPairOptions } from '../app/handlers/folders/syncFolderPair.ts';
import { SESSION_WORKER_RESOURCE_LIMITS } from '../app/runtime/sessionWorkerPool.ts';
import { durableCopy } from './fixtures/durableCopy.ts';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const SMALL = Number(process.env.BENCH_SMALL ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CHANGED = 100;
// Unison as the bench runs it: no questions, times kept, permissions not synced, our metadata folder ignored.
const UNISON_OPTIONS = ['-batch', '-silent', '-times', '-perms', '0', '-ignore', 'Name .synccenter'];
const { only } = parseArgs({ options: { only: { type: 'string' } }, allowPositionals: false }).values;
const PARTS = ['initial', 'resync', 'twins'];
if (only !== undefined && !PARTS.includes(only)) throw new Error(`--only takes one of ${PARTS.join(', ')}, not ${only}`);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'synccenter-bench-folders-'));

/** A deterministic pseudo-random generator (mulberry32), so every run generates the same tree. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes `count` files of `minBytes`–`maxBytes` into 100-file folders under `root`. */
function generate(root: string, count: number, minBytes: number, maxBytes: number): void {
  const next = random(count);
  const block = Buffer.alloc(maxBytes);
  for (let index = 0; index < count; index += 1) {
    const folder = path.join(root, `d${Math.floor(index / 100)}`);
    if (index % 100 === 0) fs.mkdirSync(folder, { recursive: true });
    const size = minBytes + Math.floor(next() * (maxBytes - minBytes + 1));
    block.writeUInt32LE(index, 0);
    fs.writeFileSync(path.join(folder, `f${index}.bin`), block.subarray(0, size));
  }
}

function have(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

function ensureTools(): void {
  const missing = ['rsync', 'unison'].filter((tool) => !have(tool));
  if (missing.length === 0 || process.getuid?.() !== 0 || !have('apt-get')) return;
  console.log(`installing ${missing.join(', ')} with apt-get…`);
  spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`);
}

async function timed(body: () => unknown): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
let fresh = 0;
const freshDir = () => path.join(work, `dest-${(fresh += 1)}`);

/** Initial sync: each tool copies the same source into a fresh folder, tools alternating run by run. */
async function initialSync(): Promise<void> {
  const source = path.join(work, 'initial-src');
  generate(source, FILES, 1024, 64 * 1024);
  const ours = (options: FolderPairOptions) => {
    const destination = freshDir();
    fs.mkdirSync(destination);
    fs.rmSync(path.join(source, '.synccenter'), { recursive: true, force: true });
    return timed(() => syncFolderPair(source, destination, options));
  };
  const tools: Record<string, () => Promise<number>> = {
    'cp -a': () => timed(() => run('cp', ['-a', `${source}/.`, freshDir()])),
    // The same copy made durable (one syncfs, the way ours flushes a batch): the floor for any tool whose copy
    // survives a power loss, which `cp -a` alone does not promise.
    'cp -a; sync -f': () => {
      const destination = freshDir();
      return timed(() => {
        run('cp', ['-a', `${source}/.`, destination]);
        run('sync', ['-f', destination]);
      });
    },
    // A durable copy in Node and nothing else (bench/fixtures/durableCopy.ts): the floor of any sync in this runtime.
    'Node durable copy': () => timed(() => durableCopy(source, freshDir())),
    ours: () => ours({}),
    // Ours with no threads beside it: what the file work pool (app/handlers/folders/fileWorkPool.ts) gains.
    'ours, one thread': () => ours({ workPool: null }),
  };
  if (have('rsync')) {
    tools['rsync -a'] = () => timed(() => run('rsync', ['-a', '--exclude=.synccenter', `${source}/`, freshDir()]));
    tools['rsync -a --fsync'] = () => timed(() => run('rsync', ['-a', '--fsync', '--exclude=.synccenter', `${source}/`, freshDir()]));
  }
  const times = await alternate(tools);
  report(`initial sync, ${FILES} files of 1–64 KiB`, times, 'cp -a', 1.25);
  const floor = median(times['cp -a; sync -f'] ?? []);
  console.log(`  durability alone (cp -a; sync -f) costs ${(floor / median(times['cp -a'] ?? [])).toFixed(2)} × cp -a; ours is ${(median(times.ours ?? []) / floor).toFixed(2)} × that floor`);
  const nodeFloor = median(times['Node durable copy'] ?? []);
  console.log(`  a durable copy in Node alone costs ${(nodeFloor / median(times['cp -a'] ?? [])).toFixed(2)} × cp -a; ours is ${(median(times.ours ?? []) / nodeFloor).toFixed(2)} × that (the sync's own bookkeeping)`);
}

async function alternate(tools: Record<string, () => Promise<number>>): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(tools).map((name) => [name, []]));
  for (let round = 0; round < RUNS; round += 1) {
    for (const [name, measure] of Object.entries(tools)) {
      times[name]?.push(await measure());
      spawnSync('sync');
    }
  }
  return times;
}

function report(title: string, times: Record<string, number[]>, reference: string, target?: number): void {
  console.log(`\n${title} (median of ${RUNS})`);
  const base = median(times[reference] ?? []);
  for (const [name, values] of Object.entries(times)) {
    const value = median(values);
    console.log(`  ${name.padEnd(20)} ${value.toFixed(0).padStart(7)} ms   ${(value / base).toFixed(2)} × ${reference}`);
  }
  const ours = median(times.ours ?? []);
  if (target !== undefined) console.log(`  target: ours ≤ ${target} × ${reference}: ${ours / base <= target ? 'met' : 'NOT met'} (${(ours / base).toFixed(2)})`);
}

/** No-op and 100-change re-syncs of SMALL files, against unison with warm archives. */
async function resync(): Promise<void> {
  const left = smallTree();
  const right = path.join(work, 'small-right');
  const uLeft = path.join(work, 'unison-left');
  const uRight = path.join(work, 'unison-right');
  run('cp', ['-a', `${left}/.`, uLeft]);
  fs.mkdirSync(right);
  fs.mkdirSync(uRight);
  await syncFolderPair(left, right);
  const unison = have('unison');
  const unisonArgs = [uLeft, uRight, ...UNISON_OPTIONS];
  if (unison) run('unison', unisonArgs); // warms the archives
  const noop: Record<string, () => Promise<number>> = { ours: () => timed(() => syncFolderPair(left, right)) };
  if (unison) noop.unison = () => timed(() => run('unison', unisonArgs));
  if (have('rsync')) noop['rsync -a'] = () => timed(() => run('rsync', ['-a', '--exclude=.synccenter', `${left}/`, right]));
  const noopTimes = await alternate(noop);
  report(`no-op re-sync, ${SMALL} small files`, noopTimes, unison ? 'unison' : 'ours', 1.5);
  const changed: Record<string, () => Promise<number>> = {
    ours: () => {
      touch(left, 'ours');
      return timed(() => syncFolderPair(left, right));
    },
  };
  if (unison) changed.unison = () => {
    touch(uLeft, 'unison');
    return timed(() => run('unison', unisonArgs));
  };
  report(`re-sync after ${CHANGED} changes among ${SMALL}`, await alternate(changed), unison ? 'unison' : 'ours', 1.5);
  if (!unison) console.log('  (unison not available: ratios against it skipped)');
  memory(left, right);
}

/** SMALL files of 16–256 bytes, generated on first use. */
function smallTree(): string {
  const root = path.join(work, 'small-left');
  if (!fs.existsSync(root)) generate(root, SMALL, 16, 256);
  return root;
}

/**
 * First sync of SMALL files present on both sides (copied by hand before the pair was made): each tool gets two
 * fresh copies of the same tree and no metadata or archive of them, so it must read and compare both sides.
 */
async function twinSync(): Promise<void> {
  const source = smallTree();
  const twins = () => {
    const [left, right] = [freshDir(), freshDir()];
    for (const copy of [left, right]) {
      run('cp', ['-a', `${source}/.`, copy]);
      fs.rmSync(path.join(copy, '.synccenter'), { recursive: true, force: true });
    }
    spawnSync('sync');
    return [left, right] as const;
  };
  const tools: Record<string, () => Promise<number>> = {
    ours: () => {
      const [left, right] = twins();
      return timed(() => syncFolderPair(left, right));
    },
  };
  const unison = have('unison');
  if (unison) tools.unison = () => {
    const [left, right] = twins();
    return timed(() => run('unison', [left, right, ...UNISON_OPTIONS]));
  };
  report(`first sync of ${SMALL} small files already on both sides`, await alternate(tools), unison ? 'unison' : 'ours');
}

let edits = 0;
function touch(root: string, label: string): void {
  edits += 1;
  for (let index = 0; index < CHANGED; index += 1) {
    const file = Math.floor((index * SMALL) / CHANGED);
    fs.writeFileSync(path.join(root, `d${Math.floor(file / 100)}`, `f${file}.bin`), `${label} edit ${edits} of ${file}`);
  }
}

/**
 * Peak resident memory of a no-op sync of SMALL files, in a child process of its own, run the way the app runs a
 * session: on a worker thread with the session workers' V8 limits (`SESSION_WORKER_RESOURCE_LIMITS`). The figure
 * is the whole process (its main thread included).
 */
function memory(left: string, right: string): void {
  const workerData = { module: pathToFileURL(path.resolve(import.meta.dirname, '../app/handlers/folders/syncFolderPair.ts')).href, left, right };
  // The child's main thread stays plain JavaScript, as the app's built host is; the limits go in as a literal.
  const script = `import { Worker } from 'node:worker_threads';
    const body = "const { workerData } = require('node:worker_threads');"
      + '(async () => { const { syncFolderPair } = await import(workerData.module); await syncFolderPair(workerData.left, workerData.right); })();';
    const worker = new Worker(body, { eval: true, workerData: ${JSON.stringify(workerData)}, resourceLimits: ${JSON.stringify(SESSION_WORKER_RESOURCE_LIMITS)} });
    worker.on('error', (error) => { console.error(error); process.exitCode = 1; });
    worker.on('exit', () => console.log(process.resourceUsage().maxRSS));`;
  const file = path.join(work, 'memory.mjs');
  fs.writeFileSync(file, script);
  const result = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`the memory child failed: ${result.stderr}`);
  const peakMb = Number(result.stdout.trim()) / 1024;
  console.log(`\npeak memory, no-op sync of ${SMALL} files: ${peakMb.toFixed(0)} MB (target ≤ 250 MB: ${peakMb <= 250 ? 'met' : 'NOT met'})`);
}

/**
 * The file system the trees are on, as `df` names it, and for ext4 whether it keeps a journal (a jbd2 entry in /proc):
 * the figures differ a lot between the two (see the folder handler's README), so every run says which it measured.
 */
function describeFileSystem(directory: string): string {
  const df = spawnSync('df', ['--output=source,fstype', directory], { encoding: 'utf8' });
  const [source, type] = (df.stdout.trim().split('\n')[1] ?? '').trim().split(/\s+/);
  if (df.status !== 0 || source === undefined || type === undefined) return 'unknown';
  if (type !== 'ext4' || !fs.existsSync('/proc/fs/jbd2')) return `${type} (${source})`;
  const journaled = fs.readdirSync('/proc/fs/jbd2').some((entry) => entry.startsWith(`${path.basename(source)}-`));
  return `${type} ${journaled ? 'with' : 'without'} a journal (${source})`;
}

try {
  ensureTools();
  console.log(`trees in ${work}: ${describeFileSystem(work)}`);
  if (only === undefined || only === 'initial') await initialSync();
  if (only === undefined || only === 'resync') await resync();
  if (only === undefined || only === 'twins') await twinSync();
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
