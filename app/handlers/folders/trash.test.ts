import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';
import { Trash } from './trash.ts';

afterAll(removeTempDirs);

function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const T0 = Date.parse('2026-11-22T09:30:00.000Z');

describe('Trash', () => {
  it('moves content into .synccenter/trash keeping its relative path and a timestamp', () => {
    const root = makeTempDir();
    writeFiles(root, { 'docs/a.txt': 'old' });
    const trash = new Trash(root, clock(T0).now);
    const kept = trash.keep('docs/a.txt');
    expect(readText(root, 'docs/a.txt')).toBeUndefined();
    expect(kept).toMatch(/\.synccenter\/trash\/20261122T093000\.000Z-[0-9a-f]{8}\/docs\/a\.txt$/);
    expect(trash.list()).toEqual([{ id: expect.stringMatching(/\/docs\/a\.txt$/), relativePath: 'docs/a.txt', trashedAtMs: T0, size: 3, kind: 'file' }]);
  });

  it('keeps every version when the same path is trashed twice, and restores each without overwriting', () => {
    const root = makeTempDir();
    const time = clock(T0);
    const trash = new Trash(root, time.now);
    writeFiles(root, { 'f.txt': 'v1' });
    trash.keep('f.txt');
    time.advance(1000);
    writeFiles(root, { 'f.txt': 'v2' });
    trash.keep('f.txt');
    writeFiles(root, { 'f.txt': 'v3' });
    const [first, second] = trash.list();
    expect(first?.trashedAtMs).toBeLessThan(second?.trashedAtMs ?? 0);
    expect(trash.restore(first?.id ?? '')).toBe('f (restored 1).txt');
    expect(trash.restore(second?.id ?? '')).toBe('f (restored 2).txt');
    expect([readText(root, 'f.txt'), readText(root, 'f (restored 1).txt'), readText(root, 'f (restored 2).txt')]).toEqual(['v3', 'v1', 'v2']);
    expect(trash.list()).toEqual([]);
    expect(fs.readdirSync(trash.directory)).toEqual([]); // emptied stamp folders are pruned
  });

  it('restores to its original path, recreating folders', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a/b/c.txt': 'c' });
    const trash = new Trash(root);
    trash.keep('a/b/c.txt');
    fs.rmSync(path.join(root, 'a'), { recursive: true });
    expect(trash.restore(trash.list()[0]?.id ?? '')).toBe('a/b/c.txt');
    expect(readText(root, 'a/b/c.txt')).toBe('c');
  });

  it('hard-links with mode "link", leaving the original in place', () => {
    const root = makeTempDir();
    writeFiles(root, { 'x.txt': 'x' });
    const kept = new Trash(root).keep('x.txt', 'link');
    expect(fs.statSync(kept).ino).toBe(fs.statSync(path.join(root, 'x.txt')).ino);
  });

  it('purges by age, then oldest first by total size', () => {
    const root = makeTempDir();
    const time = clock(T0);
    for (const [index, size] of [100, 200, 300].entries()) {
      writeFiles(root, { [`f${index}`]: 'x'.repeat(size) });
      new Trash(root, time.now).keep(`f${index}`);
      time.advance(24 * 3600 * 1000);
    }
    const trash = new Trash(root, time.now);
    expect(trash.purge({ maxAgeMs: 2.5 * 24 * 3600 * 1000, maxBytes: 10_000 })).toEqual({ removed: 1, freedBytes: 100 });
    expect(trash.purge({ maxAgeMs: 30 * 24 * 3600 * 1000, maxBytes: 300 })).toEqual({ removed: 1, freedBytes: 200 });
    expect(trash.list().map((entry) => entry.relativePath)).toEqual(['f2']);
  });

  it('refuses ids that would escape the trash', () => {
    const root = makeTempDir();
    expect(() => new Trash(root).restore('../../etc/passwd')).toThrow(expect.objectContaining({ code: 'UNSAFE_NAME' }));
  });
});
