/**
 * Shared kit of the proof suites (`app/proof/*.test.ts`): seeds that are printed and can be replayed, snapshots
 * of replica trees by content hash, leftovers (temporary files), SQLite integrity checks, the real CLI run as a
 * child process, and a small worker pool (the suites run on a shared 2-core machine).
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { isTempName, METADATA_DIR } from '../handlers/folders/tempNames.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const cliMain = path.join(repoRoot, 'app', 'cli', 'main.ts');

/**
 * The seed of a randomized suite: `PROOF_SEED` when set (to replay a failure), else a fresh one. Printed with
 * the suite's name so any failure can be replayed exactly.
 */
export function proofSeed(suite: string): number {
  const fromEnv = process.env.PROOF_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : randomInt(1, 2 ** 31 - 1);
  console.log(`[proof] ${suite}: seed ${seed} (replay with PROOF_SEED=${seed})`);
  return seed;
}

/**
 * fast-check parameters of a proof: its seed and run count, and with PROOF_PATH (the `path` fast-check prints
 * with a counterexample, used with that run's PROOF_SEED) only the shrunk counterexample, run once.
 */
export function proofParameters(seed: number, numRuns: number): { seed: number; numRuns: number; path?: string; endOnFailure?: boolean } {
  const replay = process.env.PROOF_PATH;
  return replay ? { seed, numRuns, path: replay, endOnFailure: true } : { seed, numRuns };
}

/** Deterministic version-4-shaped GUIDs from `seed`, so a failing scenario replays with the same item ids. */
export function seededIds(seed: number): () => string {
  const random = seededRandom(seed);
  const hex = (digits: number) => Array.from({ length: digits }, () => random.int(16).toString(16)).join('');
  return () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
}

/** A deterministic generator (mulberry32) with the few draws the suites need. */
export interface Random {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(values: readonly T[]): T;
  chance(probability: number): boolean;
}

export function seededRandom(seed: number): Random {
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: <T>(values: readonly T[]): T => {
      if (values.length === 0) throw new Error('pick from an empty list');
      return values[int(values.length)] as T;
    },
    chance: (probability) => next() < probability,
  };
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A replica tree as `relative path → content hash` (files), `dir` (folders) or `link:<target>`, without metadata. */
export type TreeSnapshot = Map<string, string>;

export function snapshotTree(root: string): TreeSnapshot {
  const snapshot: TreeSnapshot = new Map();
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (child === METADATA_DIR) continue;
      const absolute = path.join(root, child);
      if (entry.isDirectory()) {
        snapshot.set(child, 'dir');
        walk(child);
      } else if (entry.isSymbolicLink()) snapshot.set(child, `link:${fs.readlinkSync(absolute)}`);
      else snapshot.set(child, sha256(fs.readFileSync(absolute)));
    }
  };
  walk('');
  return snapshot;
}

/** The entries on which two snapshots differ (empty when identical), for readable failure messages. */
export function snapshotDifferences(left: TreeSnapshot, right: TreeSnapshot, limit = 20): string[] {
  const differences: string[] = [];
  for (const name of new Set([...left.keys(), ...right.keys()])) {
    if (left.get(name) !== right.get(name)) differences.push(`${name}: ${left.get(name)?.slice(0, 12) ?? 'absent'} vs ${right.get(name)?.slice(0, 12) ?? 'absent'}`);
  }
  return differences.sort().slice(0, limit);
}

/** True for a temporary file of ours (folder handler or XML replica): not a real path. */
export function isOurTempFile(name: string): boolean {
  return isTempName(name) || xmlTempPattern.test(name);
}
const xmlTempPattern = /^\..+\.xml\.\d+\.\d+\.tmp$/;

/** Files at real paths (temporary files aside) whose content is none of the versions a user wrote. */
export function foreignContents(snapshot: TreeSnapshot, written: ReadonlySet<string>): string[] {
  return [...snapshot]
    .filter(([name, hash]) => hash !== 'dir' && !hash.startsWith('link:') && !written.has(hash) && !isOurTempFile(path.posix.basename(name)))
    .map(([name]) => name);
}

/**
 * Temporary files of ours left under `root` (anywhere, metadata folder excluded): the folder handler's
 * `.<name>.synccenter-<16 hex>.tmp` and the XML replica's `.<file>.<pid>.<n>.tmp`.
 */
export function leftoverTempFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string, relative: string): void => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (child === METADATA_DIR) continue;
      if (isOurTempFile(entry.name)) found.push(child);
      if (entry.isDirectory()) walk(path.join(directory, entry.name), child);
    }
  };
  walk(root, '');
  return found;
}

/** `PRAGMA integrity_check` of a SQLite file: "ok", or what SQLite found. */
export function integrityCheck(file: string): string {
  const db = new DatabaseSync(file);
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
    return rows.map((row) => row.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/**
 * The environment of a CLI child: English text, and Node's compile cache (shared by the runs of a suite, it
 * halves the start-up of a CLI that loads a few hundred TypeScript modules).
 */
export function cliEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, SYNCCENTER_LANG: 'en', NODE_COMPILE_CACHE: path.join(os.tmpdir(), 'synccenter-proof-compile-cache'), ...extra };
}

/** What a finished CLI run printed. */
export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Runs `synccenter --data-dir <dataDir> ...args` to the end (blocking: for tests that run one thing at a time). */
export function runCliSync(dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const started = performance.now();
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [cliMain, '--data-dir', dataDir, ...args], {
    encoding: 'utf8',
    env: cliEnvironment(env),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

/** Runs `synccenter --data-dir <dataDir> ...args` to the end without blocking (other pool workers keep going). */
export async function runCli(dataDir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { killed: _killed, ...run } = await runCliKilledAfter(dataDir, args, Number.POSITIVE_INFINITY, env);
  return run;
}

/** Runs the CLI and sends SIGKILL after `killAfterMs` (if it is still running). */
export function runCliKilledAfter(dataDir: string, args: readonly string[], killAfterMs: number, env: NodeJS.ProcessEnv = {}): Promise<CliRun & { killed: boolean }> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliMain, '--data-dir', dataDir, ...args], { env: cliEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let killed = false;
  const timer = Number.isFinite(killAfterMs)
    ? setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, killAfterMs)
    : undefined;
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: performance.now() - started, killed: killed && signal === 'SIGKILL' });
    }),
  );
}

/**
 * Runs an ES module given as source text in a child Node (with `REPO` set to the repository root, so it can
 * import the core), and resolves when it ends: killed (by itself, at a chosen point) or not.
 */
export function runScript(source: string, label = 'script'): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), `synccenter-proof-${label}-`));
  const file = path.join(directory, 'script.mjs');
  fs.writeFileSync(file, source);
  const child = spawn(process.execPath, [file], { env: { ...process.env, REPO: repoRoot }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) =>
    child.on('close', (status, signal) => {
      fs.rmSync(directory, { recursive: true, force: true });
      resolve({ status, signal, stdout, stderr });
    }),
  );
}

/** Runs `tasks` with at most `width` at a time; results in task order. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], width = 2): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < tasks.length; index = next++) results[index] = await (tasks[index] as () => Promise<T>)();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

/** Writes a file (creating its folder) and returns the hash of what was written. */
export function writeUserFile(root: string, relative: string, content: string | Buffer): string {
  const absolute = path.join(root, ...relative.split('/'));
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  fs.writeFileSync(absolute, content);
  return sha256(content);
}

/** A replica pair the kill-safety suites sync with the CLI, kill, and check against the model of what users wrote. */
export interface KillablePair {
  readonly label: string;
  readonly dataDir: string;
  /** Where the pair lives, for failure messages. */
  readonly where: string;
  /** The CLI arguments that add this pair as an item. */
  readonly addArgs: readonly string[];
  /** Environment of this pair's CLI syncs (beside `cliEnvironment`'s). */
  readonly env?: NodeJS.ProcessEnv;
  populate(): void;
  /** The users' edits between two syncs. */
  mutate(round: number): void;
  checkAfterKill(): string[];
  checkConverged(): { problems: string[]; lost: number };
  /** Keeps what diagnosis needs (PROOF_KEEP=1). */
  keepEvidence?(round: number): void;
}

/** What a kill loop counted. */
export interface KillTally {
  kills: number;
  survived: number;
  lost: number;
  delays: number[];
  failures: string[];
}

/** Kills `target` CLI syncs of one pair at random moments, syncs cleanly after each and checks; stops at the first failure. */
async function killLoop(pair: KillablePair, target: number, random: Random): Promise<KillTally> {
  const tally: KillTally = { kills: 0, survived: 0, lost: 0, delays: [], failures: [] };
  pair.populate();
  const added = await runCli(pair.dataDir, pair.addArgs);
  if (added.status !== 0) throw new Error(`add failed: ${added.stderr}`);
  // Kill moments are drawn up to the typical length of a whole sync (learned from the syncs that finished
  // before their kill), so kills land anywhere from process start to the last write.
  let typical = 1_500;
  for (let round = 1; tally.kills < target && round <= target * 4; round += 1) {
    if (round > 1) pair.mutate(round);
    const delay = Math.floor(random.next() * typical);
    const killed = await runCliKilledAfter(pair.dataDir, ['sync'], delay, pair.env);
    if (!killed.killed) {
      typical = 0.5 * typical + 0.5 * killed.ms;
      if (killed.status !== 0) tally.failures.push(`${pair.label} round ${round}: an unkilled sync ended with ${killed.status}: ${killed.stdout}${killed.stderr}`);
    } else {
      tally.kills += 1;
      tally.delays.push(delay);
      tally.failures.push(...pair.checkAfterKill().map((problem) => `${pair.label} kill ${tally.kills} at ${delay} ms, before the next sync: ${problem}`));
    }
    if (process.env.PROOF_KEEP === '1') pair.keepEvidence?.(round);
    const clean = await runCli(pair.dataDir, ['sync'], pair.env);
    if (clean.status !== 0) tally.failures.push(`${pair.label} round ${round}: the sync after the kill exited ${clean.status} (3 = an invented conflict): ${clean.stdout}${clean.stderr}`);
    const { problems, lost } = pair.checkConverged();
    tally.lost += lost;
    tally.failures.push(...problems.map((problem) => `${pair.label} (${pair.where}) round ${round} (kill at ${delay} ms): ${problem}`));
    if (killed.killed && problems.length === 0 && clean.status === 0) tally.survived += 1;
    if (tally.failures.length > 0) break;
  }
  return tally;
}

/**
 * The kill-safety proof: `kills` kills shared by two pairs run side by side (seeded by `suite`), totalled and
 * printed as "N kills, N survived, N lost".
 */
export async function proveKillSafety(suite: string, kills: number, makePair: (label: string, seed: number) => KillablePair): Promise<KillTally> {
  const seed = proofSeed(`kill safety, ${suite}`);
  const halves = [Math.ceil(kills / 2), Math.floor(kills / 2)];
  const tallies = await inPool(halves.map((target, index) => () => killLoop(makePair(`pair${index + 1}`, seed + index), target, seededRandom(seed * 7 + index))));
  const total = tallies.reduce((sum, tally) => ({ kills: sum.kills + tally.kills, survived: sum.survived + tally.survived, lost: sum.lost + tally.lost, delays: [...sum.delays, ...tally.delays], failures: [...sum.failures, ...tally.failures] }));
  const delays = [...total.delays].sort((a, b) => a - b);
  console.log(`[proof] kill safety, ${suite}: ${total.kills} kills, ${total.survived} survived, ${total.lost} lost (kill moments ${delays[0]}–${delays.at(-1)} ms, median ${delays[Math.floor(delays.length / 2)]} ms)`);
  return total;
}
