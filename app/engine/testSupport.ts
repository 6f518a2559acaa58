/** Shared helpers for engine tests: temp directories, deterministic ids, memory replicas on real stores. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { MetadataStore } from '../store/metadata/metadataStore.ts';
import { MemoryReplica } from './memoryReplica.ts';
import { MetadataSyncProvider } from './metadataSyncProvider.ts';

const created: string[] = [];

// Removed when the test file that made them is done (hooks run in reverse order: after the file's own afterAll).
afterAll(() => {
  for (const directory of created.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file's last test. */
export function tempDir(prefix = 'synccenter-engine-'): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(directory);
  return directory;
}

/** Deterministic GUIDs from a counter (ids are injected, never random in tests). */
export function guidFrom(seed: number): string {
  const hex = seed.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** A deterministic id source with a prefix. */
export function idSource(prefix: string): () => string {
  let next = 0;
  return () => `${prefix}${(++next).toString().padStart(8, '0')}`;
}

/** A memory replica with its provider and store. */
export interface TestReplica {
  readonly name: string;
  readonly data: MemoryReplica;
  readonly store: MetadataStore;
  readonly provider: MetadataSyncProvider<string>;
}

/** Opens a memory replica numbered `index` in `dir`. */
export function openMemoryReplica(dir: string, index: number, batchSize = 1000): TestReplica {
  const store = MetadataStore.open({ path: path.join(dir, `replica-${index}.db`), replicaId: () => guidFrom(index + 1) });
  const data = new MemoryReplica();
  const provider = new MetadataSyncProvider({ store, adapter: data, newItemId: idSource(`r${index}-`), batchSize });
  return { name: `r${index}`, data, store, provider };
}
