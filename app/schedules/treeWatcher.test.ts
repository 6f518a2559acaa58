import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../sessions/hostTestKit.ts';
import { watchTree, type TreeWatch } from './treeWatcher.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function start(root: string): { watch: TreeWatch; seen: Set<string>; errors: Error[] } {
  const seen = new Set<string>();
  const errors: Error[] = [];
  const watch = watchTree(root, new Set(['.synccenter']), (relative) => seen.add(relative ?? '<unknown>'), (error) => errors.push(error));
  cleanups.push(() => watch.close());
  return { watch, seen, errors };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('one watch per directory, none inside .synccenter/, nested changes reported by relative path', async () => {
  const root = tempDir('synccenter-tree-');
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  for (let index = 0; index < 20; index += 1) {
    mkdirSync(path.join(root, `d${index}`, 'inner'), { recursive: true });
    for (let file = 0; file < 10; file += 1) writeFileSync(path.join(root, `d${index}`, 'inner', `f${file}.txt`), 'x');
  }
  mkdirSync(path.join(root, '.synccenter', 'trash', 'a', 'b'), { recursive: true });
  const { watch, seen } = start(root);
  await watch.settled();
  // The root, 20 folders and their 20 inner folders: 41 watches for 200 files; .synccenter is not descended into.
  expect(watch.directoryCount).toBe(41);
  writeFileSync(path.join(root, 'd7', 'inner', 'f3.txt'), 'changed');
  writeFileSync(path.join(root, '.synccenter', 'trash', 'a', 'b', 'old.txt'), 'ignored');
  await until(() => seen.has(path.join('d7', 'inner', 'f3.txt')), 'the nested change');
  expect([...seen].some((relative) => relative.includes('old.txt'))).toBe(false);
});

test('new, renamed and removed directories are followed; the root going away is an error', async () => {
  const root = tempDir('synccenter-tree-');
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(path.join(root, 'old'));
  const { watch, seen, errors } = start(root);
  await watch.settled();

  mkdirSync(path.join(root, 'new', 'deep'), { recursive: true });
  writeFileSync(path.join(root, 'new', 'deep', 'early.txt'), 'written before its folder was watched');
  await until(() => seen.has(path.join('new', 'deep', 'early.txt')), 'a file in a new folder');
  await watch.settled();
  writeFileSync(path.join(root, 'new', 'deep', 'late.txt'), 'after');
  await until(() => seen.has(path.join('new', 'deep', 'late.txt')), 'a later file in the new folder');

  renameSync(path.join(root, 'new'), path.join(root, 'renamed'));
  await until(() => seen.has('renamed'), 'the rename');
  await watch.settled();
  writeFileSync(path.join(root, 'renamed', 'deep', 'moved.txt'), 'x');
  await until(() => seen.has(path.join('renamed', 'deep', 'moved.txt')), 'a file in the renamed folder, under its new name');
  expect([...seen].some((relative) => relative.startsWith(`new${path.sep}deep${path.sep}moved`))).toBe(false);

  rmSync(path.join(root, 'old'), { recursive: true });
  await until(() => watch.directoryCount === 3, 'the removed folder to be dropped');
  rmSync(root, { recursive: true, force: true });
  await until(() => errors.length === 1, 'the root to be reported gone');
});
