/**
 * Soak (`npm run bench -- soak [--minutes 10] [--seed N] [--warmup rounds]`): the load of app/proof/load.test.ts
 * (20 scripted handlers × 50 items driven through the control endpoint by storms of Sync All, handler and item
 * syncs and random stops) run round after round for the given minutes. Every round's queue invariants are checked;
 * memory (heap used and RSS, after full garbage collections) is printed after the warm-up rounds (default 10) and at
 * the end, with the growth ratio and how many session workers were started (they are pooled per handler, so few).
 * Single readings swing by ±15 % with the garbage collections of 20 worker isolates (which `gc()` here cannot
 * force), so RSS is also sampled after every round and the verdict compares the medians of the first and the last
 * tenth of the run (at least 5 rounds each). Target: no growth beyond 10 %. Exits 1 when a round breaks an
 * invariant. `--minutes 1` makes a quick run.
 */
import { queueProblems, startLoadHost, storm } from '../app/proof/loadDriver.ts';
import { seededRandom } from '../app/proof/proofKit.ts';
import { sessionWorkers } from '../app/runtime/workerSessionDriver.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} wants a positive number`);
  return value;
};
const minutes = option('minutes', 10);
const seed = option('seed', Date.now() % 2 ** 31);
/**
 * Rounds before the start figure (default 10, about a minute): the first rounds start 20 worker isolates and grow
 * their heaps to their working size (measured: 467 → 540 MB in all over the first 10 rounds), which is no leak; the
 * soak measures growth from a settled host. `--warmup 1` shows the cold start too.
 */
const warmupRounds = option('warmup', 10);
const ACTIONS_PER_ROUND = 60;

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** Heap used and RSS after full collections (bench/run.mjs starts Node with --expose-gc). */
async function memory(): Promise<{ heap: number; rss: number }> {
  for (let pass = 0; pass < 3; pass += 1) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, rss: usage.rss };
}

const load = await startLoadHost(20, 50);
const random = seededRandom(seed);
let rounds = 0;
let requests = 0;
let failed = false;
/** RSS after each measured round, with the time it was read. */
const samples: { at: number; rss: number }[] = [];

/** One storm, checked, then the harness forgets it (so only the host's own memory is measured). */
async function round(): Promise<void> {
  const { starts, stops } = await storm(load, random, ACTIONS_PER_ROUND);
  const problems = await queueProblems(load, starts, stops, load.host.events);
  requests += starts.length + stops.length;
  rounds += 1;
  if (problems.length > 0) {
    failed = true;
    console.error(`round ${rounds}: ${problems.length} problem(s):\n  ${problems.slice(0, 10).join('\n  ')}`);
  }
  load.host.events.length = 0;
  load.client.answers.clear();
}

console.log(`soak: 20 handlers × 50 items, ${ACTIONS_PER_ROUND} actions per round, ${minutes} min, seed ${seed}${gc === undefined ? ' (no --expose-gc: memory figures include garbage)' : ''}`);
for (let warm = 0; warm < warmupRounds; warm += 1) await round(); // workers, modules, statements and caches reach their steady size
const start = await memory();
/** The session workers' heaps, summed: where RSS grows while the host's heap does not. */
const workerHeaps = async (): Promise<string> => {
  const heaps = await sessionWorkers.heapStatistics();
  return `${heaps.workers} workers' heaps ${mb(heaps.usedHeapSize)} MB used of ${mb(heaps.totalHeapSize)} MB, malloced ${mb(heaps.mallocedMemory)} MB`;
};
console.log(`start (after ${warmupRounds} warm-up round${warmupRounds === 1 ? '' : 's'}): heap ${mb(start.heap)} MB, RSS ${mb(start.rss)} MB; ${await workerHeaps()}`);
const end = performance.now() + minutes * 60_000;
const began = performance.now();
while (performance.now() < end && !failed) {
  await round();
  samples.push({ at: performance.now(), rss: process.memoryUsage().rss });
  if (rounds % 10 === 0) console.log(`  ${rounds} rounds, ${requests} requests, heap ${mb(process.memoryUsage().heapUsed)} MB, RSS ${mb(process.memoryUsage().rss)} MB; ${await workerHeaps()}`);
}
const finish = await memory();
const heapGrowth = (finish.heap - start.heap) / start.heap;
const rssGrowth = (finish.rss - start.rss) / start.rss;
console.log(`end (after ${rounds} rounds, ${requests} requests): heap ${mb(finish.heap)} MB, RSS ${mb(finish.rss)} MB; ${await workerHeaps()}`);
const workers = sessionWorkers.stats();
console.log(`session workers: ${workers.spawned} started in all, ${workers.busy + workers.idle} alive at the end (${workers.idle} idle)`);
console.log(`single readings: heap ${(heapGrowth * 100).toFixed(1)} % (ratio ${(finish.heap / start.heap).toFixed(3)}), RSS ${(rssGrowth * 100).toFixed(1)} % (ratio ${(finish.rss / start.rss).toFixed(3)})`);
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const tenth = Math.max(5, Math.floor(samples.length / 10));
const first = samples.slice(0, tenth).map((sample) => sample.rss);
const last = samples.slice(-tenth).map((sample) => sample.rss);
const rssMedianGrowth = (median(last) - median(first)) / median(first);
const window = (part: readonly { at: number }[]) => `${((part[0]?.at ?? began) - began) / 1000 | 0}–${((part.at(-1)?.at ?? began) - began) / 1000 | 0} s`;
console.log(
  `RSS medians: first ${tenth} rounds (${window(samples.slice(0, tenth))}) ${mb(median(first))} MB, last ${tenth} rounds (${window(samples.slice(-tenth))}) ${mb(median(last))} MB: ` +
    `${(rssMedianGrowth * 100).toFixed(1)} % (ratio ${(median(last) / median(first)).toFixed(3)}); heap ${(heapGrowth * 100).toFixed(1)} %; ` +
    `target ≤ 10 %: ${heapGrowth <= 0.1 && rssMedianGrowth <= 0.1 ? 'met' : 'NOT met'}`,
);
await load.close();
process.exit(failed ? 1 : 0);
