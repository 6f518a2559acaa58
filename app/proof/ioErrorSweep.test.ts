/**
 * I/O-error sweep, the way SQLite tests itself: a 100-file CLI folder sync runs under
 * `strace -f -e inject=<syscall>:error=<EIO|ENOSPC>:when=N`, failing the Nth call, for N = 1 up to the number of
 * such calls a clean run makes. strace counts calls per thread, so the Nth call of every thread fails.
 *
 * After each faulty run: every file at a real path on either side holds a version a user wrote (no partial file),
 * and a clean sync succeeds with no conflict and leaves both sides exactly as the users wrote them, with no
 * temporary file and intact metadata (so nothing was recorded as synced that was not on disk: such a record
 * would come back as a spurious change, a conflict or a deletion).
 *
 * A failed write to Node's own wake-up pipe (`write(fd, "*", 1)`, e.g. the first write of a thread) makes libuv
 * abort the process: a disk cannot cause that, and the checks still hold after such a run; the summary lists them.
 * So does a failed open of OpenSSL's configuration as Node starts (`/etc/ssl/openssl.cnf`, the 8th openat of the
 * main thread here: "node: OpenSSL configuration error", exit 5, before any of Sync Center's code runs).
 *
 * Swept: every N of fsync (with syncfs, the batch flush run by `sync -f`), rename, link (the install step) and unlink with EIO; a seeded sample of openat (EIO)
 * and of write/pwrite64 (EIO and ENOSPC). PROOF_SWEEP=full sweeps every N of every syscall (long);
 * PROOF_SWEEP_FAMILIES=fsync,unlink and PROOF_SWEEP_WHEN=3,4 sweep only those.
 * Skipped with the reason when strace is missing and cannot be installed.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../cli/runCli.ts';
import { syncFolderPair } from '../handlers/folders/syncFolderPair.ts';
import { ensureDebianTools, makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { cliEnvironment, cliMain, foreignContents, inPool, integrityCheck, leftoverTempFiles, proofSeed, seededRandom, snapshotDifferences, snapshotTree, writeUserFile } from './proofKit.ts';

if (process.env.PROOF_KEEP !== '1') afterAll(removeTempDirs);

const strace = process.platform === 'linux' ? ensureDebianTools({ strace: 'strace' }) : { ok: false as const, reason: `strace fault injection needs Linux (this is ${process.platform})` };
if (!strace.ok) console.log(`[proof] I/O-error sweep skipped: ${strace.reason}`);

/** One swept syscall family: the syscalls strace fails together, and the errors injected. */
interface Family {
  readonly name: string;
  readonly syscalls: readonly string[];
  readonly errors: readonly ('EIO' | 'ENOSPC')[];
  /** Every N, or this many seeded samples of N. */
  readonly sample?: number;
}

const full = process.env.PROOF_SWEEP === 'full';
const FAMILIES: readonly Family[] = [
  { name: 'fsync', syscalls: ['fsync', 'fdatasync', 'syncfs'], errors: ['EIO'] },
  { name: 'rename', syscalls: ['rename', 'renameat', 'renameat2'], errors: ['EIO'] },
  { name: 'link', syscalls: ['link', 'linkat'], errors: ['EIO'] },
  { name: 'unlink', syscalls: ['unlink', 'unlinkat'], errors: ['EIO'] },
  { name: 'openat', syscalls: ['openat'], errors: ['EIO'], ...(full ? {} : { sample: 24 }) },
  { name: 'write', syscalls: ['write', 'pwrite64', 'writev', 'pwritev'], errors: ['EIO', 'ENOSPC'], ...(full ? {} : { sample: 12 }) },
];

type Side = 'left' | 'right';

/**
 * The swept pair of 100 files: 60 already synced, then users add 25 on the left and 15 on the right, edit 6 and
 * 3, delete 3 and move 3: about 55 files to copy, replace, delete or move. Returns the model of the end state.
 */
async function buildPair(label: string): Promise<{ left: string; right: string; dataDir: string; model: Map<string, string>; written: Set<string> }> {
  const base = makeTempDir(`sweep-${label}`);
  const roots: Record<Side, string> = { left: path.join(base, 'left'), right: path.join(base, 'right') };
  for (const root of Object.values(roots)) fs.mkdirSync(root);
  const model = new Map<string, string>();
  const written = new Set<string>();
  const write = (side: Side, relative: string, content: string): void => {
    const hash = writeUserFile(roots[side], relative, content);
    written.add(hash);
    model.set(relative, hash);
  };
  for (let index = 0; index < 60; index += 1) write('left', `base/d${index % 4}/b${index}.txt`, `base ${index}\n`.repeat(1 + index * 7));
  await syncFolderPair(roots.left, roots.right);
  for (let index = 0; index < 25; index += 1) write('left', `new-left/d${index % 5}/l${index}.txt`, `left ${index}\n`.repeat(1 + index * 11));
  for (let index = 0; index < 15; index += 1) write('right', `new-right/r${index}.txt`, `right ${index}\n`.repeat(1 + index * 13));
  for (let index = 0; index < 9; index += 1) write(index < 6 ? 'left' : 'right', `base/d${index % 4}/b${index}.txt`, `edited ${index}\n`.repeat(3 + index));
  for (let index = 10; index < 13; index += 1) {
    fs.rmSync(path.join(roots.right, `base/d${index % 4}/b${index}.txt`));
    model.delete(`base/d${index % 4}/b${index}.txt`);
  }
  for (let index = 20; index < 23; index += 1) {
    const [from, to] = [`base/d${index % 4}/b${index}.txt`, `base/moved/b${index}.txt`];
    fs.mkdirSync(path.join(roots.left, 'base/moved'), { recursive: true });
    fs.renameSync(path.join(roots.left, from), path.join(roots.left, to));
    model.set(to, model.get(from) ?? '');
    model.delete(from);
  }
  const dataDir = path.join(base, 'data');
  const io = { out: () => undefined, err: () => undefined, isTty: false };
  const code = await runCliInProcess(['--data-dir', dataDir, 'add', 'folders', roots.left, roots.right], { ...process.env, SYNCCENTER_LANG: 'en' }, io);
  if (code !== 0) throw new Error(`add failed with ${code}`);
  return { ...roots, dataDir, model, written };
}

/** Runs the CLI sync under strace; `inject` undefined only traces `syscalls` into `log` (the counting run). */
function tracedSync(dataDir: string, syscalls: readonly string[], inject: { error: string; when: number } | undefined, log = '/dev/null'): Promise<{ status: number | null; output: string }> {
  const list = syscalls.join(',');
  const args = ['-f', '--seccomp-bpf', '-qq', '-o', log, '-e', `trace=${list}`];
  if (inject !== undefined) args.push('-e', `inject=${list}:error=${inject.error}:when=${inject.when}`);
  const child = spawn('strace', [...args, process.execPath, cliMain, '--data-dir', dataDir, 'sync'], { env: cliEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
}

/** The largest number of calls of one syscall any single thread made in a trace log (strace counts per thread). */
function callsPerThread(log: string, syscalls: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const line of fs.readFileSync(log, 'utf8').split('\n')) {
    const match = /^(\d+)\s+(\w+)\(/.exec(line);
    if (match === null || !syscalls.includes(match[2] ?? '')) continue;
    const key = `${match[1]} ${match[2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

interface Point {
  readonly family: Family;
  readonly error: string;
  readonly when: number;
}

/** One sweep point: a fresh pair, the faulty run, the checks, the clean run, the checks. Returns the problems. */
async function sweepPoint(point: Point): Promise<{ outcome: string; problems: string[] }> {
  const pair = await buildPair(`${point.family.name}-${point.when}`);
  const faulty = await tracedSync(pair.dataDir, point.family.syscalls, { error: point.error, when: point.when });
  const outcome = faulty.status === 0 ? 'succeeded' : faulty.status === 1 ? 'failed (exit 1)' : faulty.status === null ? 'killed by a signal' : `exit ${faulty.status}`;
  const where = `${point.family.name} #${point.when} ${point.error}`;
  const problems: string[] = [];
  for (const side of ['left', 'right'] as const) {
    const foreign = foreignContents(snapshotTree(pair[side]), pair.written);
    if (foreign.length > 0) problems.push(`${where}: after the faulty run, ${side} has partial or foreign content at ${foreign.slice(0, 5).join(', ')}`);
  }
  const clean = await syncFolderPair(pair.left, pair.right).catch((error: Error) => error);
  const trouble = clean instanceof Error ? clean.message : clean.conflicts.filter((conflict) => conflict.resolution === 'saved').map((conflict) => `conflict ${conflict.kind} ${conflict.path}`).join(', ');
  if (trouble !== '') problems.push(`${where}: the clean sync after it did not succeed cleanly: ${trouble} (faulty run: ${outcome}: ${faulty.output.trim().split('\n').slice(-3).join(' | ')})`);
  const expected = new Map(pair.model);
  for (const side of ['left', 'right'] as const) {
    const actual = new Map([...snapshotTree(pair[side])].filter(([, hash]) => hash !== 'dir'));
    const differences = snapshotDifferences(expected, actual, 5);
    if (differences.length > 0) problems.push(`${where}: after the clean sync, ${side} is not what the users wrote: ${differences.join('; ')}`);
    const temps = leftoverTempFiles(pair[side]);
    if (temps.length > 0) problems.push(`${where}: temporary files left on ${side}: ${temps.join(', ')}`);
    const database = path.join(pair[side], '.synccenter', 'metadata.db');
    const verdict = fs.existsSync(database) ? integrityCheck(database) : 'ok';
    if (verdict !== 'ok') problems.push(`${where}: ${side} metadata integrity_check: ${verdict}`);
  }
  if (problems.length === 0 && process.env.PROOF_KEEP !== '1') fs.rmSync(path.dirname(pair.left), { recursive: true, force: true });
  return { outcome, problems };
}

/** The N values swept for a family: every one, or a seeded sample (always with the first and the last). */
function pointsOf(family: Family, count: number, random: ReturnType<typeof seededRandom>): number[] {
  const all = Array.from({ length: count }, (_, index) => index + 1);
  if (family.sample === undefined || family.sample >= count) return all;
  const chosen = new Set([1, count]);
  while (chosen.size < family.sample) chosen.add(1 + random.int(count));
  return [...chosen].sort((a, b) => a - b);
}

describe.skipIf(!strace.ok)('I/O-error sweep (strace fault injection into a 100-file CLI sync)', () => {
  it('every injected EIO / ENOSPC leaves no partial file, nothing recorded that is not on disk, and the next sync converges', async () => {
    const seed = proofSeed('I/O-error sweep');
    const random = seededRandom(seed);
    // A first run fills Node's compile cache, so the counting run (and every faulty run) writes no cache files.
    const warmUp = await buildPair('warm-up');
    await tracedSync(warmUp.dataDir, ['fsync'], undefined);
    const counting = await buildPair('count');
    const log = path.join(path.dirname(counting.left), 'trace.log');
    const allSyscalls = FAMILIES.flatMap((family) => family.syscalls);
    const counted = await tracedSync(counting.dataDir, allSyscalls, undefined, log);
    expect(counted.status, counted.output).toBe(0);
    const points: Point[] = [];
    const coverage: string[] = [];
    const only = process.env.PROOF_SWEEP_FAMILIES?.split(',');
    for (const family of FAMILIES.filter((candidate) => only === undefined || only.includes(candidate.name))) {
      const count = callsPerThread(log, family.syscalls);
      const only = process.env.PROOF_SWEEP_WHEN?.split(',').map(Number);
      const chosen = pointsOf(family, count, random).filter((when) => only === undefined || only.includes(when));
      for (const error of family.errors) for (const when of chosen) points.push({ family, error, when });
      coverage.push(`${family.name} ${chosen.length}/${count}${family.errors.length > 1 ? ` × ${family.errors.join('+')}` : ''}`);
    }
    const results = await inPool(points.map((point) => () => sweepPoint(point)), 2);
    const outcomes = new Map<string, number>();
    for (const { outcome } of results) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    const unusual = results.flatMap((result, index) => (result.outcome.startsWith('failed') || result.outcome === 'succeeded' ? [] : [`${points[index]?.family.name} #${points[index]?.when} ${points[index]?.error}: ${result.outcome}`]));
    if (unusual.length > 0) console.log(`[proof] I/O-error sweep: runs that did not end with exit 0 or 1: ${unusual.join('; ')}`);
    const problems = results.flatMap((result) => result.problems);
    console.log(`[proof] I/O-error sweep: ${points.length} faults injected (N covered per syscall, of calls per thread: ${coverage.join(', ')}); faulty runs ${[...outcomes].map(([outcome, n]) => `${n} ${outcome}`).join(', ')}; ${points.length - new Set(problems.map((problem) => problem.split(':')[0])).size} converged, 0 lost expected, ${problems.length} problem(s)`);
    expect(problems).toEqual([]);
  }, 1_800_000);
});
