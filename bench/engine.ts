/**
 * Engine benchmark: two memory replicas on real metadata stores, n = 10^4, 10^5, 10^6 items, k = 100 changed.
 * Prints the time of the k-change session per n and the ratio t(10^6)/t(10^4) (target ≤ 2: cost follows
 * changes, not size), the initial-sync rate in item changes per second (target ≥ 50,000/s) and peak memory.
 * Run: `node bench/engine.ts [maxExponent]` (default 6).
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

interface Replica {
  readonly data: MemoryReplica;
  readonly store: MetadataStore;
  readonly provider: MetadataSyncProvider<string>;
}

function openReplica(dir: string, index: number): Replica {
  let next = 0;
  const store = MetadataStore.open({ path: path.join(dir, `r${index}.db`), replicaId: () => `00000000-0000-4000-8000-00000000000${index}` });
  const data = new MemoryReplica();
  const provider = new MetadataSyncProvider({ store, adapter: data, newItemId: () => `r${index}-${(++next).toString(36).padStart(6, '0')}`, batchSize: 5000 });
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
    for (let i = 0; i < CHANGED; i++) a.data.set(`item-${Math.floor((i * n) / CHANGED)}`, { v: `changed ${i}` });
    const sessionStart = performance.now();
    const result = await synchronize(a.provider, b.provider, { direction: 'upload' });
    const sessionMs = performance.now() - sessionStart;
    return { n, initialSeconds, rate: n / initialSeconds, sessionMs, sent: result.upload?.received ?? 0 };
  } finally {
    a.store.close();
    b.store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark and prints its figures. */
export async function main(maxExponent = 6): Promise<void> {
  const rows = [];
  for (let exponent = 4; exponent <= maxExponent; exponent++) {
    const row = await measure(10 ** exponent);
    rows.push(row);
    console.log(`n=10^${exponent}: initial sync ${row.initialSeconds.toFixed(2)} s (${Math.round(row.rate).toLocaleString('en')} changes/s); session with k=${CHANGED} changed: ${row.sessionMs.toFixed(1)} ms (${row.sent} sent)`);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && last && last !== first) console.log(`ratio t(10^${maxExponent})/t(10^4) = ${(last.sessionMs / first.sessionMs).toFixed(2)} (target ≤ 2)`);
  const slowest = Math.min(...rows.map((row) => row.rate));
  console.log(`initial-sync rate (lowest): ${Math.round(slowest).toLocaleString('en')} item changes/s (target ≥ 50,000/s)`);
  console.log(`peak memory (maxRSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}

if (import.meta.main) await main(Number(process.argv[2] ?? 6));
