/**
 * Engine benchmark: two memory replicas on real metadata stores, n = 10^4, 10^5, 10^6 items, k = 100 changed.
 * Prints the time of the k-change session per n (median of five rounds) and the ratio t(10^6)/t(10^4) (target
 * ≤ 2: cost follows changes, not size), the initial-sync rate in item changes per second (target ≥ 50,000/s)
 * and peak memory. Providers use their default batch size, as the handlers do. A discarded 2,000-item sync
 * runs first so that JIT compilation is not billed to the first size.
 * Run: `node bench/engine.ts [maxExponent]` (default 6) or `node bench/engine.ts --sizes 4,5` (exponents to
 * run; the ratio compares the first and the last).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MemoryReplica } from '../app/engine/memoryReplica.ts';
import { MetadataSyncProvider } from '../app/engine/metadataSyncProvider.ts';
import { synchronize } from '../app/engine/syncOrchestrator.ts';
import { MetadataStore } from '../app/store/metadata/metadataStore.ts';

const CHANGED = 100;
const CHUNK = 100_000;
const SESSION_ROUNDS = 5;

interface Replica {
  readonly data: MemoryReplica;
  readonly store: MetadataStore;
  readonly provider: MetadataSyncProvider<string>;
}

function openReplica(dir: string, index: number): Replica {
  let next = 0;
  const store = MetadataStore.open({ path: path.join(dir, `r${index}.db`), replicaId: () => `00000000-0000-4000-8000-00000000000${index}` });
  const data = new MemoryReplica();
  const provider = new MetadataSyncProvider({ store, adapter: data, newItemId: () => `r${index}-${(++next).toString(36).padStart(6, '0')}` });
  return { data, store, provider };
}

/** One size: returns the initial-sync rate and the k-change session time. */
async function measure(n: number): Promise<{ n: number; initialSeconds: number; rate: number; sessionMs: number; sent: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'synccenter-bench-'));
  const [a, b] = [openReplica(dir, 1), openReplica(dir, 2)];
  try {
    for (let start = 0; start < n; start += CHUNK) {
      for (let i = start; i < Math.min(n, start + CHUNK); i++) a.data.set(`item-${i}`, { v: `value ${i}` });
      await a.provider.detectChanges();
    }
    const initialStart = performance.now();
    await synchronize(a.provider, b.provider, { direction: 'upload' });
    const initialSeconds = (performance.now() - initialStart) / 1000;
    // The k-change session is short and the machine shared: take the median of a few rounds.
    const sessions: number[] = [];
    let sent = 0;
    for (let round = 0; round < SESSION_ROUNDS; round++) {
      for (let i = 0; i < CHANGED; i++) a.data.set(`item-${Math.floor((i * n) / CHANGED)}`, { v: `changed ${round} ${i}` });
      const sessionStart = performance.now();
      const result = await synchronize(a.provider, b.provider, { direction: 'upload' });
      sessions.push(performance.now() - sessionStart);
      sent = result.upload?.received ?? 0;
    }
    const sessionMs = sessions.sort((x, y) => x - y)[SESSION_ROUNDS >> 1] ?? 0;
    return { n, initialSeconds, rate: n / initialSeconds, sessionMs, sent };
  } finally {
    a.store.close();
    b.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and prints its figures. */
export async function main(exponents: readonly number[] = [4, 5, 6]): Promise<void> {
  await measure(2000);
  const rows = [];
  for (const exponent of exponents) {
    const row = await measure(10 ** exponent);
    rows.push(row);
    console.log(`n=10^${exponent}: initial sync ${row.initialSeconds.toFixed(2)} s (${Math.round(row.rate).toLocaleString('en')} changes/s); session with k=${CHANGED} changed: ${row.sessionMs.toFixed(1)} ms (${row.sent} sent)`);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  const maxExponent = exponents[exponents.length - 1];
  if (first && last && last !== first) console.log(`ratio t(10^${maxExponent})/t(10^${exponents[0]}) = ${(last.sessionMs / first.sessionMs).toFixed(2)} (target ≤ 2)`);
  const slowest = Math.min(...rows.map((row) => row.rate));
  console.log(`initial-sync rate (lowest): ${Math.round(slowest).toLocaleString('en')} item changes/s (target ≥ 50,000/s)`);
  console.log(`peak memory (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

/** `--sizes 4,6` or a maximum exponent (`5` = 4,5); default 4,5,6. */
function exponentsOf(args: readonly string[]): number[] {
  const flag = args.indexOf('--sizes');
  if (flag >= 0) return (args[flag + 1] ?? '').split(',').map(Number).filter((exponent) => exponent >= 1);
  const max = Number(args[0] ?? 6);
  return Array.from({ length: Math.max(1, max - 3) }, (_, index) => 4 + index);
}

if (import.meta.main) await main(exponentsOf(process.argv.slice(2)));
