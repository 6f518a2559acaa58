/**
 * Durability for a whole batch at once. A per-file fsync costs a journal commit each (10,000 small files: many
 * seconds); one `syncfs` of the file system flushes every temporary file of the batch in a single commit.
 * Node has no syncfs binding, so on Linux it is coreutils' `sync -f`; elsewhere (or if it fails) the caller
 * falls back to fsyncing each file. The ordering guarantee is the same either way: data durable before any
 * rename, renames durable (folder fsync) before metadata is committed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Flushes the file system holding `directory`; false when that is not possible here. */
export function syncFileSystem(directory: string): boolean {
  if (process.platform !== 'linux') return false;
  const result = spawnSync('sync', ['-f', directory], { stdio: 'ignore' });
  return result.status === 0;
}

/** Fsyncs one file by path (the fallback when a batch could not be flushed at once). */
export function syncFile(file: string): void {
  const descriptor = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(descriptor);
  } finally {
    fs.closeSync(descriptor);
  }
}
