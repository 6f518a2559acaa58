/**
 * The per-root sync lock: one holder at a time, released cleanly, and never left blocking after its holder died.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { LOCK_STALE_MS, lockRoot } from './rootLock.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'root-lock-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const lockFile = () => path.join(root, '.synccenter', 'lock');

test('a second taker is refused with BUSY while the first holds it, and succeeds after release', () => {
  const first = lockRoot(root);
  expect(() => lockRoot(root)).toThrow(expect.objectContaining({ code: 'BUSY', message: expect.stringContaining(root) }));
  first.release();
  first.release();
  lockRoot(root).release();
});

test('a lock left by a process that no longer exists is taken over', () => {
  lockRoot(root); // never released: stands for a killed process once its pid is replaced below
  writeFileSync(lockFile(), '2147483646 0 0');
  lockRoot(root).release();
});

test('a lock of this process that has not been refreshed for a minute is stale (a terminated worker)', () => {
  lockRoot(root);
  const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
  utimesSync(lockFile(), old, old);
  lockRoot(root).release();
});

test('release leaves a lock that another holder took over in place', () => {
  const first = lockRoot(root);
  writeFileSync(lockFile(), `${process.pid} 99 1`);
  first.release();
  expect(() => lockRoot(root)).toThrow(expect.objectContaining({ code: 'BUSY' }));
});
