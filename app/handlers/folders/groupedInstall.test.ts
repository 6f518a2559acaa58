/**
 * A batch of many files installs its copies in groups while the rest still copy (`writeApplier.ts`,
 * `copyAndInstallInGroups`). What must hold: no file is put in place before a flush of the file system that started
 * after its copy ended (so a power loss can never leave a half-written file under its real name); every file is
 * installed exactly once, across several groups; and a destination file changed between planning and applying is
 * still never overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { leftoverTempFiles } from '../../proof/proofKit.ts';
import type * as fileSystemSync from './fileSystemSync.ts';
import { FileWorkPool } from './fileWorkPool.ts';
import { syncFolderPair } from './syncFolderPair.ts';
import { makeTempDir, readText, removeTempDirs, writeFiles } from './testFolders.ts';

/** Every flush of a group: the temporary files it covered, and whether each one's real name was still free then. */
const flushes: { readonly temps: readonly string[]; readonly installedBefore: readonly string[] }[] = [];

vi.mock('./fileSystemSync.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof fileSystemSync>();
  return {
    ...actual,
    flushFileSystemsOf: async (paths: readonly string[], kind: 'files' | 'folders') => {
      // The batch's last flush, of the folders its installs touched, is not a group's.
      if (kind === 'folders') return actual.flushFileSystemsOf(paths, kind);
      // A temporary file `.<name>.synccenter-<hex>.tmp` is installed as `<name>` in the same folder.
      const realName = (temp: string) => path.join(path.dirname(temp), path.basename(temp).replace(/^\.(.*)\.synccenter-[0-9a-f]+\.tmp$/, '$1'));
      flushes.push({ temps: [...paths], installedBefore: paths.filter((temp) => !fs.existsSync(temp) || fs.existsSync(realName(temp))) });
      return actual.flushFileSystemsOf(paths, kind);
    },
  };
});

const COUNT = 2600; // more than two groups of 1,024 and a last, smaller one

beforeEach(() => {
  flushes.length = 0;
});
afterAll(removeTempDirs);

function manyFiles(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < COUNT; index += 1) files[`d${Math.floor(index / 100)}/f${index}.txt`] = `file ${index} `.repeat(1 + (index % 7));
  writeFiles(root, files);
  return files;
}

describe('a batch of many files', () => {
  it.each([
    ['on the calling thread', null],
    ['on the file work pool', 'pool'],
  ] as const)('installs each copy once, in groups, each only after a flush that began once its copy ended (%s)', async (_, threads) => {
    const left = makeTempDir('grouped-left');
    const right = makeTempDir('grouped-right');
    const files = manyFiles(left);
    // Two threads that take any run of 100 small files or more (the shared pool waits for 4,096).
    const workPool = threads === null ? null : new FileWorkPool(2, 100);
    const result = await syncFolderPair(left, right, { workPool }).finally(() => workPool?.close());
    expect(result.status).toBe('succeeded');
    expect(result.statistics.leftToRight).toMatchObject({ created: COUNT + COUNT / 100, failed: 0 });
    expect(flushes.length).toBeGreaterThanOrEqual(3);
    expect(flushes.flatMap((flush) => flush.installedBefore)).toEqual([]);
    const flushed = flushes.flatMap((flush) => flush.temps);
    expect(new Set(flushed).size).toBe(flushed.length); // no copy flushed (so installed) twice
    expect(flushed).toHaveLength(COUNT);
    for (const [relative, content] of Object.entries(files)) expect(readText(right, relative)).toBe(content);
    expect(leftoverTempFiles(right)).toEqual([]);
    const again = await syncFolderPair(left, right);
    expect(again.statistics.leftToRight).toMatchObject({ created: 0, updated: 0, moved: 0, deleted: 0 });
    expect(again.statistics.rightToLeft).toMatchObject({ created: 0, updated: 0, moved: 0, deleted: 0 });
  });

  it('never overwrites a destination file changed after planning, in any group', async () => {
    const left = makeTempDir('grouped-left');
    const right = makeTempDir('grouped-right');
    manyFiles(left);
    await syncFolderPair(left, right);
    // Every file changes on the left; three on the right change again once the plan is made, before their group installs.
    for (let index = 0; index < COUNT; index += 1) fs.appendFileSync(path.join(left, `d${Math.floor(index / 100)}`, `f${index}.txt`), 'edited on the left');
    const edited = ['d0/f0.txt', 'd12/f1234.txt', `d25/f${COUNT - 1}.txt`];
    let touched = false;
    const result = await syncFolderPair(left, right, {
      onProgress: (progress) => {
        if (touched || progress.stage !== 'transferring') return;
        touched = true;
        for (const relative of edited) fs.writeFileSync(path.join(right, relative), `changed on the right: ${relative}`);
      },
    });
    expect(touched).toBe(true);
    for (const relative of edited) expect(readText(right, relative)).toBe(`changed on the right: ${relative}`);
    expect(result.events.filter((event) => event.code === 'DESTINATION_CHANGED').map((event) => event.path).sort()).toEqual([...edited].sort());
    expect(readText(right, 'd1/f100.txt')).toMatch(/edited on the left$/);
  });
});
