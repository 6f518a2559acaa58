/**
 * Convergence with real files (fast-check): three real folder replicas, random creates, edits, deletes, renames,
 * folder deletes, folder moves (PROOF_FOLDER_MOVES=0 leaves them out), a replica's scan state deleted by hand
 * (PROOF_SCAN_STATE_LOSS=0 leaves that out), empty files (PROOF_EMPTY_FILES=0: none), and concurrent edits, and
 * random pairwise `syncFolderPair` runs in any topology with any conflict policy.
 *
 * - No sync ever destroys content: every content present on a side before a sync is there after it, live (maybe
 *   as a conflict copy) or in that side's `.synccenter/trash/`.
 * - After conflicts are resolved (syncs with "keep both" until quiet), all replicas are identical.
 * - Every version a user wrote and did not discard themselves (by overwriting or deleting it on their replica)
 *   is still present: in a replica, a trash or a conflict copy.
 *
 * Runs: PROOF_RUNS (default 40). The seed is printed; replay with PROOF_SEED.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { syncFolderPair, type FolderConflictPolicy } from '../handlers/folders/syncFolderPair.ts';
import { scanStateLogPath, scanStatePath } from '../handlers/folders/scanStateStore.ts';
import { makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { proofParameters, proofSeed, seededIds, sha256, snapshotDifferences, snapshotTree, writeUserFile } from './proofKit.ts';

afterAll(removeTempDirs);

const RUNS = Number(process.env.PROOF_RUNS ?? 40);
const REPLICAS = 3;
/** Some writes leave files empty; PROOF_EMPTY_FILES=0 writes none (the contents before 2026-12-06). */
const EMPTY_FILES = process.env.PROOF_EMPTY_FILES !== '0';
/** A small name space, so replicas often touch the same files (collisions, concurrent edits). */
const NAMES = ['a.txt', 'b.txt', 'c.txt', 'sub/d.txt', 'sub/e.txt', 'sub/deep/f.txt'];
/** Where a folder may be moved: to the top, into another folder, or deeper. */
const FOLDER_NAMES = ['top', 'moved', 'sub/inner', 'c.txt'];
const POLICIES: readonly FolderConflictPolicy[] = ['ask', 'keepBoth', 'newerWins', 'leftWins', 'rightWins'];

type Op =
  | { kind: 'create'; replica: number; name: number }
  | { kind: 'edit'; replica: number; file: number }
  | { kind: 'delete'; replica: number; file: number }
  | { kind: 'rename'; replica: number; file: number; name: number }
  | { kind: 'moveFolder'; replica: number; folder: number; name: number }
  | { kind: 'deleteFolder'; replica: number; folder: number }
  | { kind: 'loseScanState'; replica: number }
  | { kind: 'sync'; a: number; b: number; policy: FolderConflictPolicy };

const replica = fc.nat(REPLICAS - 1);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), replica, name: fc.nat(NAMES.length - 1) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('edit' as const), replica, file: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), replica, file: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), replica, file: fc.nat(20), name: fc.nat(NAMES.length - 1) }) },
  // Folder moves: 5,000 runs with them clean after the last divergence they found was fixed (seeds 236064649,
  // 771202612, 276516121, 830043572, 691702071); PROOF_FOLDER_MOVES=0 leaves them out.
  ...(process.env.PROOF_FOLDER_MOVES === '0' ? [] : [{ weight: 1, arbitrary: fc.record({ kind: fc.constant('moveFolder' as const), replica, folder: fc.nat(20), name: fc.nat(FOLDER_NAMES.length - 1) }) as fc.Arbitrary<Op> }]),
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteFolder' as const), replica, folder: fc.nat(20) }) },
  // A replica's scan state deleted by hand (its metadata kept): the previous scan is rebuilt from the metadata.
  // PROOF_SCAN_STATE_LOSS=0 leaves it out (the mix before 2026-12-06, for replaying older seeds).
  ...(process.env.PROOF_SCAN_STATE_LOSS === '0' ? [] : [{ weight: 1, arbitrary: fc.record({ kind: fc.constant('loseScanState' as const), replica }) as fc.Arbitrary<Op> }]),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), a: replica, b: replica, policy: fc.constantFrom(...POLICIES) }) },
);

/** Folders of a replica (relative paths), sorted, metadata aside. */
function foldersOf(root: string): string[] {
  return [...snapshotTree(root)].filter(([, hash]) => hash === 'dir').map(([name]) => name).sort();
}

/** Content hashes of the files under `directory` (links and folders aside). */
function contentHashes(directory: string): Set<string> {
  const hashes = new Set<string>();
  if (!fs.existsSync(directory)) return hashes;
  for (const entry of fs.readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) hashes.add(sha256(fs.readFileSync(path.join(entry.parentPath, entry.name))));
  }
  return hashes;
}

/** What a replica holds: its live files (metadata aside) and its trash. */
function holdings(root: string): { live: Set<string>; trash: Set<string> } {
  const live = new Set([...snapshotTree(root).values()].filter((hash) => hash !== 'dir' && !hash.startsWith('link:')));
  return { live, trash: contentHashes(path.join(root, '.synccenter', 'trash')) };
}

/** Files of a replica (relative paths), sorted, metadata aside. */
function filesOf(root: string): string[] {
  return [...snapshotTree(root)].filter(([, hash]) => hash !== 'dir').map(([name]) => name).sort();
}

/** One scenario: applies `ops`, checks every sync, resolves, and checks the end state. */
async function scenario(ops: readonly Op[], idSeed: number): Promise<void> {
  const roots = Array.from({ length: REPLICAS }, (_, index) => {
    const root = path.join(makeTempDir(`converge-${index}`), 'replica');
    fs.mkdirSync(root);
    return root;
  });
  const newId = seededIds(idSeed);
  const written = new Set<string>();
  const discarded = new Set<string>();
  let counter = 0;
  const write = (root: string, relative: string): void => {
    const absolute = path.join(root, relative);
    if (fs.existsSync(absolute)) discarded.add(sha256(fs.readFileSync(absolute)));
    counter += 1;
    // Every seventh write leaves the file empty (alike everywhere: nothing but its path tells two apart).
    const content = EMPTY_FILES && counter % 7 === 0 ? '' : `version ${counter} of ${relative} on ${path.basename(path.dirname(root))}\n`.repeat(1 + (counter % 4));
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
    fs.writeFileSync(absolute, content);
    written.add(sha256(content));
  };
  const sync = async (a: number, b: number, policy: FolderConflictPolicy): Promise<void> => {
    const [left, right] = [roots[a] as string, roots[b] as string];
    const before = [holdings(left), holdings(right)];
    await syncFolderPair(left, right, { conflictPolicy: policy, newId, massDelete: { confirmed: true }, sideLabels: { left: `r${a}`, right: `r${b}` } });
    for (const [index, root] of [left, right].entries()) {
      const after = holdings(root);
      const vanished = [...(before[index]?.live ?? [])].filter((hash) => !after.live.has(hash) && !after.trash.has(hash));
      if (vanished.length > 0) throw new Error(`sync r${a}↔r${b} (${policy}) destroyed ${vanished.length} version(s) on ${index === 0 ? `r${a}` : `r${b}`}: neither live nor in its trash`);
    }
  };
  for (const op of ops) {
    if (op.kind === 'sync') {
      if (op.a !== op.b) await sync(op.a, op.b, op.policy);
      continue;
    }
    const root = roots[op.replica] as string;
    if (op.kind === 'loseScanState') {
      for (const file of [scanStatePath(root), scanStateLogPath(root)]) fs.rmSync(file, { force: true });
      continue;
    }
    const files = filesOf(root);
    if (op.kind === 'create') {
      const name = NAMES[op.name] as string;
      // Not where a folder (moved there) is, nor under something that is not a folder.
      const blocked = name.split('/').some((_, index, parts) => {
        const at = path.join(root, ...parts.slice(0, index + 1));
        return index < parts.length - 1 ? fs.existsSync(at) && !fs.statSync(at).isDirectory() : fs.existsSync(at) && !fs.statSync(at).isFile();
      });
      if (!blocked) write(root, name);
      continue;
    }
    if (op.kind === 'moveFolder' || op.kind === 'deleteFolder') {
      const folders = foldersOf(root);
      const folder = folders[op.folder % Math.max(folders.length, 1)];
      if (folder === undefined) continue;
      const absolute = path.join(root, folder);
      if (op.kind === 'deleteFolder') {
        for (const file of files.filter((name) => name.startsWith(`${folder}/`))) discarded.add(sha256(fs.readFileSync(path.join(root, file))));
        fs.rmSync(absolute, { recursive: true });
        continue;
      }
      const target = FOLDER_NAMES[op.name] as string;
      // Not onto anything that exists, nor into itself.
      if (fs.existsSync(path.join(root, target)) || target === folder || target.startsWith(`${folder}/`)) continue;
      fs.mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
      fs.renameSync(absolute, path.join(root, target));
      continue;
    }
    const file = files[op.file % Math.max(files.length, 1)];
    if (file === undefined) continue;
    const absolute = path.join(root, file);
    if (op.kind === 'edit') write(root, file);
    else if (op.kind === 'delete') {
      discarded.add(sha256(fs.readFileSync(absolute)));
      fs.rmSync(absolute);
    } else {
      const target = path.join(root, NAMES[op.name] as string);
      if (fs.existsSync(target)) continue;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(absolute, target);
    }
  }
  // Resolution: "keep both" settles every open conflict; a few rounds of a ring reach every replica.
  for (let round = 0; round < 4; round += 1) {
    for (let index = 0; index < REPLICAS; index += 1) await sync(index, (index + 1) % REPLICAS, 'keepBoth');
  }
  const [first, ...others] = roots.map((root) => snapshotTree(root));
  for (const [index, other] of others.entries()) {
    const differences = snapshotDifferences(first ?? new Map(), other);
    if (differences.length > 0) throw new Error(`r0 and r${index + 1} differ after resolution: ${differences.join('; ')}`);
  }
  const everywhere = new Set(roots.flatMap((root) => [...holdings(root).live, ...holdings(root).trash]));
  const lost = [...written].filter((hash) => !discarded.has(hash) && !everywhere.has(hash));
  if (lost.length > 0) throw new Error(`${lost.length} version(s) a user wrote are in no replica, trash or conflict copy`);
}

describe('convergence with real files (three folder replicas)', () => {
  it(`random edits and pairwise syncs in any topology converge and keep every version (${RUNS} runs)`, async () => {
    const seed = proofSeed('convergence with real files');
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), fc.integer({ min: 1, max: 2 ** 30 }), async (ops, idSeed) => {
        runs += 1;
        try {
          await scenario(ops, idSeed);
        } finally {
          removeTempDirs();
        }
      }),
      proofParameters(seed, RUNS),
    );
    console.log(`[proof] convergence with real files: ${runs} scenarios run (fast-check, ${RUNS} required), 0 lost`);
  }, 600_000);

  // Found by the kill-safety suite: after a kill, a file copied but not yet recorded is met again as a new
  // item on both sides and merged as a collision. The same happens with no kill when two replicas create the
  // same file. Which item survives the merge depends on the item ids, so both orders are tried.
  it.each([
    ['ascending', 'left'],
    ['ascending', 'right'],
    ['descending', 'left'],
    ['descending', 'right'],
  ] as const)('identical files created on both sides, merged, then deleted on one side: the delete reaches both (ids %s, deleted on the %s)', async (order, side) => {
    const left = path.join(makeTempDir('merge-left'), 'replica');
    const right = path.join(makeTempDir('merge-right'), 'replica');
    fs.mkdirSync(left);
    fs.mkdirSync(right);
    let next = order === 'ascending' ? 0x100 : 0xfff;
    const newId = () => `00000000-0000-4000-8000-${(order === 'ascending' ? next++ : next--).toString(16).padStart(12, '0')}`;
    fs.writeFileSync(path.join(left, 'base.txt'), 'base');
    await syncFolderPair(left, right, { newId });
    fs.writeFileSync(path.join(left, 'same.txt'), 'the same content');
    fs.writeFileSync(path.join(right, 'same.txt'), 'the same content');
    await syncFolderPair(left, right, { newId });
    fs.rmSync(path.join(side === 'left' ? left : right, 'same.txt'));
    const result = await syncFolderPair(left, right, { newId });
    expect({ left: filesOf(left), right: filesOf(right), events: result.events.map((event) => event.code) }).toEqual({ left: ['base.txt'], right: ['base.txt'], events: [] });
  });

  // Found by the property above (seed 1882788681, run 157 of 300): r1 renames a.txt to b.txt, r2 gets b.txt from
  // r1, r0 edits a.txt, r1 deletes b.txt. r0's edit wins over r1's delete, so r1 recreates the item, but under
  // r0's older item version: r2 already knew that version, took the new content and kept the name b.txt, while
  // r0 and r1 have a.txt, and every later sync was quiet. The recreated item needs a version of its own.
  // The editing replica meets the delete first as the session's destination (r0 left: it sends its edit first,
  // r1 brings the item back) or as its source (r1 left: r0 receives the delete and keeps its edit).
  it.each([
    ['the deleting replica', 0, 1],
    ['the editing replica', 1, 0],
  ])('an item renamed and then deleted on one replica while edited on another comes back under one name everywhere (%s receives first)', async (_, a, b) => {
    const ops: Op[] = [
      { kind: 'create', replica: 0, name: 0 },
      { kind: 'sync', a: 0, b: 1, policy: 'ask' },
      { kind: 'rename', replica: 1, file: 0, name: 1 },
      { kind: 'edit', replica: 0, file: 0 },
      { kind: 'sync', a: 2, b: 1, policy: 'ask' },
      { kind: 'edit', replica: 0, file: 0 },
      { kind: 'delete', replica: 1, file: 0 },
      { kind: 'sync', a, b, policy: 'ask' },
    ];
    await scenario(ops, 1);
  });

  // Found by the property above with folder moves (seed 344837058, run 779; seen once before with its seed lost, as
  // "sub: dir vs absent"): r2 moves sub/deep to c.txt (where r0 has a file) and deletes sub. On r1 the rename waits
  // for the c.txt collision, so sub/deep stays inside sub, and sub's delete found it not empty, kept the folder and
  // counted the delete as done: once sub/deep moved away, an empty sub lived on r0 and r1, unknown to the metadata,
  // absent on r2. Now a folder's delete waits for what its renames failed to move out, and folders merged away
  // are removed in the same deepest-first pass as the deleted ones. (A file whose rename away waits for a
  // collision saved with "ask" is the case below.)
  it('a folder deleted on one replica around a folder moved away from it that waits for a conflict elsewhere is deleted everywhere', async () => {
    const ops: Op[] = [
      { kind: 'create', replica: 1, name: 5 },
      { kind: 'sync', a: 1, b: 2, policy: 'ask' },
      { kind: 'moveFolder', replica: 2, folder: 13, name: 1 },
      { kind: 'create', replica: 0, name: 2 },
      { kind: 'deleteFolder', replica: 2, folder: 3 },
      { kind: 'moveFolder', replica: 2, folder: 0, name: 3 },
      { kind: 'edit', replica: 0, file: 0 },
    ];
    await scenario(ops, 1);
  });

  // Found by the property above (default mix, seed 1625884989, run 720; about 1 run in 1,000): r2 moves a.txt into
  // sub/ and deletes sub/ while r1 edits a.txt (the edit wins and comes back) and then renames it onto b.txt, which
  // r0 created: a collision saved with "ask". r0 is told to delete sub/ while the file inside waits for that
  // collision, so sub/ stays for it, its item deleted; once the collision is settled and the file moves out, r0 was
  // left with an empty sub/ no other replica had, unknown to every replica's metadata. Now a folder left like that
  // is removed by the next sync's scan once it is empty (FolderReplica's #finishFolderDeletes).
  it('a folder deleted elsewhere while a file inside waits for a collision saved with "ask" goes once the file has moved out', async () => {
    const ops: Op[] = [
      { kind: 'create', replica: 1, name: 0 },
      { kind: 'sync', a: 1, b: 2, policy: 'ask' },
      { kind: 'rename', replica: 2, file: 0, name: 3 },
      { kind: 'sync', a: 2, b: 0, policy: 'ask' },
      { kind: 'edit', replica: 1, file: 0 },
      { kind: 'create', replica: 0, name: 1 },
      { kind: 'deleteFolder', replica: 2, folder: 0 },
      { kind: 'sync', a: 2, b: 1, policy: 'ask' },
      { kind: 'rename', replica: 1, file: 0, name: 1 },
      { kind: 'sync', a: 1, b: 0, policy: 'ask' },
    ];
    await scenario(ops, 1);
  });

  // Found by the property with folder moves (seed 86651178, run 532): r2 moves sub/ to c.txt/ (so sub/d.txt becomes
  // c.txt/d.txt) while r0 renames sub/d.txt to c.txt; r1 then deletes the folder c.txt/. Every later sync told r2
  // to rename c.txt/d.txt to c.txt, which its own folder held ("a directory appeared there"), and to delete that
  // folder, which the file kept alive: r2 kept a folder where the others had the file. Now a file taking the place
  // of a folder around it that the batch deletes steps out beside it, the folder goes, and the file moves in.
  it('a file renamed to the name of the folder around it, which another replica deletes, takes that place everywhere', async () => {
    const ops: Op[] = [
      { kind: 'create', replica: 0, name: 3 },
      { kind: 'sync', a: 2, b: 0, policy: 'ask' },
      { kind: 'moveFolder', replica: 2, folder: 0, name: 3 },
      { kind: 'rename', replica: 0, file: 0, name: 2 },
      { kind: 'sync', a: 1, b: 2, policy: 'ask' },
      { kind: 'create', replica: 0, name: 0 },
      { kind: 'deleteFolder', replica: 1, folder: 0 },
      { kind: 'edit', replica: 0, file: 0 },
    ];
    await scenario(ops, 1);
  });

  // The same moves with a file inside the folder that the deleting replica never saw: the folder must stay for it,
  // so the renamed file cannot take its place. It goes back where it was, the write waits with an event saying why,
  // and nothing is lost. The folder, kept over the delete, then comes back as a live item: the next syncs take it
  // to every replica, where it meets the renamed file as a collision (kept both), and the replicas converge.
  // (Folder-moves mix, seed 86651178, run 532: before, they stayed apart, the file refused at every sync.)
  it('a file renamed to the name of the folder around it goes back when that folder keeps a file the deleting replica never saw, and the folder comes back everywhere', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`folder-place-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    const sync = (a: string, b: string) => syncFolderPair(a, b, { conflictPolicy: 'keepBoth', massDelete: { confirmed: true } });
    fs.mkdirSync(path.join(r0, 'sub'));
    fs.writeFileSync(path.join(r0, 'sub', 'd.txt'), 'd');
    await sync(r0, r2);
    fs.renameSync(path.join(r2, 'sub'), path.join(r2, 'c.txt'));
    fs.renameSync(path.join(r0, 'sub', 'd.txt'), path.join(r0, 'c.txt'));
    await sync(r1, r2);
    fs.writeFileSync(path.join(r2, 'c.txt', 'e.txt'), 'only r2 has seen this');
    fs.rmSync(path.join(r1, 'c.txt'), { recursive: true });
    await sync(r0, r1);
    const result = await sync(r1, r2);
    expect(result.events).toContainEqual(expect.objectContaining({ code: 'DESTINATION_CHANGED', path: 'c.txt', message: expect.stringContaining('the folder there still holds other files') }));
    // Both files are where they were on r2, and no step-aside name is left behind.
    expect(filesOf(r2)).toEqual(['c.txt/d.txt', 'c.txt/e.txt']);
    expect(fs.readFileSync(path.join(r2, 'c.txt', 'd.txt'), 'utf8')).toBe('d');
    expect(fs.readFileSync(path.join(r2, 'c.txt', 'e.txt'), 'utf8')).toBe('only r2 has seen this');
    for (let round = 0; round < 3; round += 1) for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) await sync(a, b);
    for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) expect((await sync(a, b)).events).toEqual([]);
    const contents = (root: string) => filesOf(root).map((file) => `${file}: ${fs.readFileSync(path.join(root, file), 'utf8')}`);
    expect(contents(r0)).toEqual(contents(r2));
    expect(contents(r1)).toEqual(contents(r2));
    expect(contents(r2)).toEqual(expect.arrayContaining([expect.stringMatching(/: d$/), 'c.txt/e.txt: only r2 has seen this']));
  });

  // Found by the property with folder moves (seed 236064649, run 335): r0 moves sub/ to moved/, renames a.txt to
  // sub/e.txt in a new sub/ and edits moved/e.txt, while r2 deletes a.txt. On r1 the moved file's own rename looked
  // it up by its old name, found the renamed a.txt there, and failed; two items then held sub/e.txt in r1's
  // metadata, and r1 ended without it while the others kept it. Now the move settles where the folder took it.
  it('a folder moved while another file takes the name a moved file had, that file deleted elsewhere: all agree', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`moved-taken-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    const sync = (a: string, b: string, policy: 'ask' | 'keepBoth') => syncFolderPair(a, b, { conflictPolicy: policy, massDelete: { confirmed: true } });
    fs.mkdirSync(path.join(r0, 'sub'));
    fs.writeFileSync(path.join(r0, 'sub', 'e.txt'), 'e');
    fs.writeFileSync(path.join(r0, 'a.txt'), 'a');
    await sync(r0, r1, 'ask');
    fs.renameSync(path.join(r0, 'sub'), path.join(r0, 'moved'));
    await sync(r2, r0, 'ask');
    fs.mkdirSync(path.join(r0, 'sub'));
    fs.renameSync(path.join(r0, 'a.txt'), path.join(r0, 'sub', 'e.txt'));
    fs.writeFileSync(path.join(r0, 'moved', 'e.txt'), 'e, edited');
    fs.rmSync(path.join(r2, 'a.txt'));
    const first = await sync(r0, r1, 'keepBoth');
    expect([first.events, first.conflicts]).toEqual([[], []]);
    for (let round = 0; round < 2; round += 1) for (const [a, b] of [[r1, r2], [r2, r0], [r0, r1]] as const) await sync(a, b, 'keepBoth');
    for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) expect((await sync(a, b, 'keepBoth')).events).toEqual([]);
    const contents = (root: string) => filesOf(root).map((file) => `${file}: ${fs.readFileSync(path.join(root, file), 'utf8')}`);
    expect(contents(r0)).toEqual(['moved/e.txt: e, edited', 'sub/e.txt: a']); // the rename kept over r2's delete
    expect(contents(r1)).toEqual(contents(r0));
    expect(contents(r2)).toEqual(contents(r0));
  });

  // Found by the property above once it moved folders: a folder on one side and a file on the other at one path,
  // kept both. The folder is renamed by that decision and its files move with it on disk, but their items kept
  // their old names in the metadata and the scan state already showed the new paths: the files never reached the
  // other side, and every later sync was quiet. Now the scan state keeps them where the metadata says, so the next
  // scan reports the move; and a write the source cannot find under its name fails instead of recording nothing.
  // Since then the file, not the folder, takes the new name, so such a pair converges in one sync (the scan state
  // rule still serves a folder renamed by a decision, as in a case-only collision on a case-insensitive side).
  it.each(['left', 'right'] as const)('a folder and a file at one path, kept both: the file takes the new name, the folder\'s files arrive in one sync (folder on the %s)', async (side) => {
    const roots = { left: path.join(makeTempDir('folder-file-left'), 'replica'), right: path.join(makeTempDir('folder-file-right'), 'replica') };
    const other = side === 'left' ? 'right' : 'left';
    fs.mkdirSync(path.join(roots[side], 'c.txt', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(roots[side], 'c.txt', 'd.txt'), 'in the folder');
    fs.writeFileSync(path.join(roots[side], 'c.txt', 'deep', 'e.txt'), 'deeper in the folder');
    fs.mkdirSync(roots[other]);
    fs.writeFileSync(path.join(roots[other], 'c.txt'), 'a file');
    // One sync: the file takes the new name on whichever side meets the collision, so the folder's files arrive
    // under the folder's own name (before, the folder was renamed there and its files waited for the next sync,
    // reported as unsafe names: "c.txt is not a folder").
    const first = await syncFolderPair(roots.left, roots.right, { conflictPolicy: 'keepBoth' });
    expect([first.events, first.conflicts.map((conflict) => `${conflict.kind} ${conflict.path} ${conflict.resolution}`)]).toEqual([[], ['collision c.txt bothKept']]);
    expect(snapshotDifferences(snapshotTree(roots.left), snapshotTree(roots.right))).toEqual([]);
    expect(filesOf(roots.left).map((name) => `${name}: ${fs.readFileSync(path.join(roots.left, name), 'utf8')}`)).toEqual(['c (2).txt: a file', 'c.txt/d.txt: in the folder', 'c.txt/deep/e.txt: deeper in the folder']);
    const quiet = await syncFolderPair(roots.left, roots.right, { conflictPolicy: 'keepBoth' });
    expect([quiet.statistics.leftToRight?.received, quiet.statistics.rightToLeft?.received]).toEqual([0, 0]);
  });

  // Found by the property above, right after: two different sub/deep/f.txt saved as a collision, then r1 moves
  // sub to top. Syncing that move renamed r2's folder, so r2's own f.txt moved along to top/deep/f.txt, where
  // r1's f.txt was then installed over it: r2's version went to the trash, "keep both" was never asked. A write
  // no longer touches what another item's folder move put in its way; the next sync meets the collision.
  it('a folder moved on one replica while a collision inside it waits: both versions stay live everywhere', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`moved-collision-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    fs.mkdirSync(path.join(r1, 'sub', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(r1, 'sub', 'deep', 'f.txt'), 'written on r1');
    fs.mkdirSync(path.join(r2, 'sub', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(r2, 'sub', 'deep', 'f.txt'), 'written on r2');
    const saved = await syncFolderPair(r2, r1, { conflictPolicy: 'ask' });
    expect(saved.conflicts.map((conflict) => conflict.path)).toEqual(['sub/deep/f.txt']);
    fs.renameSync(path.join(r1, 'sub'), path.join(r1, 'top'));
    for (let round = 0; round < 3; round += 1) {
      for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) await syncFolderPair(a, b, { conflictPolicy: 'keepBoth' });
    }
    for (const root of roots) {
      const contents = filesOf(root).map((name) => fs.readFileSync(path.join(root, name), 'utf8')).sort();
      expect([path.basename(path.dirname(root)), contents]).toEqual([path.basename(path.dirname(root)), ['written on r1', 'written on r2']]);
      expect(snapshotDifferences(snapshotTree(r0), snapshotTree(root))).toEqual([]);
    }
  });

  // Found by the property with folder moves (seed 846748631): two replicas merged two identical new folders while
  // a third renamed its copy. The merge gave the surviving folder a new item version although its name stayed, so
  // the rename met it as a concurrent rename: a folder name conflict at every sync, and an empty folder of the old
  // name on two replicas. A merge now keeps the survivor's version. The id order decides the survivor.
  it.each([1, 2, 3, 4])('a folder created alike on two replicas and merged while a third renames it: the rename reaches all, all agree, and syncs go quiet (id seed %i)', async (idSeed) => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`merged-renamed-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    const newId = seededIds(idSeed);
    for (const root of [r0, r1]) writeUserFile(root, 'sub/d.txt', 'the same on two replicas');
    await syncFolderPair(r0, r2, { newId });
    fs.renameSync(path.join(r2, 'sub'), path.join(r2, 'top'));
    const merged = await syncFolderPair(r0, r1, { newId });
    expect(merged.conflicts).toEqual([]);
    let last: Awaited<ReturnType<typeof syncFolderPair>>[] = [];
    for (let round = 0; round < 3; round += 1) {
      last = [];
      for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) last.push(await syncFolderPair(a, b, { newId }));
    }
    // Where the merge kept r1's folder, r0's folder is deleted by the merge and renamed by r2 at once: the rename
    // wins, as an update wins over a delete, so `sub` may stay beside `top`. Either way all three agree.
    for (const root of roots) {
      expect(filesOf(root)).toContain('top/d.txt');
      expect(snapshotDifferences(snapshotTree(r0), snapshotTree(root))).toEqual([]);
    }
    expect(last.flatMap((result) => result.conflicts)).toEqual([]);
    expect(last.map((result) => [result.statistics.leftToRight?.applied, result.statistics.rightToLeft?.applied])).toEqual([[0, 0], [0, 0], [0, 0]]);
  });

  // Found by the property with folder moves (seed 846748631): r0 moves sub/ to top/, puts a new sub/d.txt in its
  // place and edits both, while r1 edits its sub/d.txt. Syncing the move moves r1's d.txt along to top/d.txt, so in
  // the session's second leg r1 could not find that item's content under its recorded name: the write came with no
  // content, and r0 recorded r1's version without writing it. Both sides then "agreed" while holding different
  // top/d.txt for good. A file whose content cannot be read at the source now fails and is synced next time.
  it('a folder moved while a new file takes its old place, the moved file edited on both sides: every version on both sides, identical', async () => {
    const [r0, r1] = [0, 1].map((index) => path.join(makeTempDir(`moved-retaken-${index}`), 'replica')) as [string, string];
    for (const root of [r0, r1]) fs.mkdirSync(root);
    writeUserFile(r0, 'sub/d.txt', 'first');
    await syncFolderPair(r1, r0);
    fs.renameSync(path.join(r0, 'sub'), path.join(r0, 'top'));
    writeUserFile(r0, 'sub/d.txt', 'new in the old place');
    writeUserFile(r0, 'top/d.txt', 'moved and edited on r0');
    writeUserFile(r1, 'sub/d.txt', 'edited on r1');
    for (let round = 0; round < 3; round += 1) await syncFolderPair(r0, r1, { conflictPolicy: 'keepBoth', sideLabels: { left: 'r0', right: 'r1' } });
    expect(snapshotDifferences(snapshotTree(r0), snapshotTree(r1))).toEqual([]);
    const contents = filesOf(r0).map((name) => fs.readFileSync(path.join(r0, name), 'utf8'));
    for (const content of ['new in the old place', 'moved and edited on r0', 'edited on r1']) expect(contents).toContain(content);
  });

  // Found by the property above (seed 732568800): r2 edits sub/d.txt, r1 gets that edit and deletes the folder,
  // while r0 renames its older copy to a.txt. The rename wins over the delete and r1 brings the file back with
  // r0's content, whose version r2's edit supersedes, although r1 had "seen" that edit: r1 and r0 held the old
  // content, r2 the edit, and no sync moved either. What comes back now gets new unit versions.
  it('a file renamed on one replica while another deletes its folder after getting a third replica\'s edit: all agree', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`renamed-deleted-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    writeUserFile(r0, 'sub/d.txt', 'first');
    await syncFolderPair(r0, r2);
    writeUserFile(r2, 'sub/d.txt', 'edited on r2');
    fs.renameSync(path.join(r0, 'sub', 'd.txt'), path.join(r0, 'a.txt'));
    await syncFolderPair(r1, r2);
    fs.rmSync(path.join(r1, 'sub'), { recursive: true });
    for (let round = 0; round < 3; round += 1) {
      for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) await syncFolderPair(a, b, { conflictPolicy: 'keepBoth', massDelete: { confirmed: true } });
    }
    for (const root of roots) {
      expect(filesOf(root)).toContain('a.txt');
      expect(snapshotDifferences(snapshotTree(r0), snapshotTree(root))).toEqual([]);
    }
  });

  // Found by the property with folder moves (seed 1859445466): r0 moves sub/ to top/ and then its d.txt out to a file
  // c.txt, while r2 renames sub/ to a folder c.txt/. On r1 the file c.txt had to become c.txt/d.txt while the folder
  // took the name c.txt: the rename failed ("c.txt" is not a folder) and creating the folder put the file in the
  // trash, leaving r1's metadata with a file where a folder was. A file now steps aside to move under its own
  // place, and a write never replaces an item whose rename away failed in the same batch.
  it('a file becomes the content of a folder that takes its name: all agree, the file is there once', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`under-itself-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    writeUserFile(r0, 'sub/d.txt', 'the file');
    await syncFolderPair(r2, r0);
    fs.renameSync(path.join(r0, 'sub'), path.join(r0, 'top'));
    fs.renameSync(path.join(r2, 'sub'), path.join(r2, 'c.txt'));
    fs.renameSync(path.join(r0, 'top', 'd.txt'), path.join(r0, 'c.txt'));
    for (let round = 0; round < 3; round += 1) {
      for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) await syncFolderPair(a, b, { conflictPolicy: 'keepBoth' });
    }
    for (const root of roots) {
      // Where it ends depends on which rename the conflict order keeps; it is there once, the same everywhere.
      expect(filesOf(root).map((name) => fs.readFileSync(path.join(root, name), 'utf8'))).toEqual(['the file']);
      expect(filesOf(root).filter((name) => name.includes('synccenter-moving'))).toEqual([]);
      expect(snapshotDifferences(snapshotTree(r0), snapshotTree(root))).toEqual([]);
    }
  });

  it('a file moved into a new folder of its own name (c.txt to c.txt/d.txt) moves the same way on the other side', async () => {
    const [r0, r1] = [0, 1].map((index) => path.join(makeTempDir(`into-own-name-${index}`), 'replica')) as [string, string];
    for (const root of [r0, r1]) fs.mkdirSync(root);
    writeUserFile(r0, 'c.txt', 'the file');
    await syncFolderPair(r0, r1);
    const inode = fs.statSync(path.join(r1, 'c.txt')).ino;
    fs.renameSync(path.join(r0, 'c.txt'), path.join(r0, 'aside'));
    fs.mkdirSync(path.join(r0, 'c.txt'));
    fs.renameSync(path.join(r0, 'aside'), path.join(r0, 'c.txt', 'd.txt'));
    const result = await syncFolderPair(r0, r1);
    expect([result.conflicts, result.events]).toEqual([[], []]);
    expect(filesOf(r1)).toEqual(['c.txt/d.txt']);
    expect(fs.statSync(path.join(r1, 'c.txt', 'd.txt')).ino).toBe(inode); // moved, not copied
    expect(snapshotDifferences(snapshotTree(r0), snapshotTree(r1))).toEqual([]);
  });

  // Found by the property with folder moves (seed 1859445466, run 655): r0 renames sub/ to top/, then moves its d.txt
  // back to a new sub/e.txt and creates a new sub/d.txt. On r2, which gets both renames in one sync, the folder's
  // rename moved d.txt along to top/d.txt, and its own rename to sub/e.txt then found nothing under the old name:
  // it failed, while the new sub/d.txt took the old name, and the replicas disagreed for good. Such a rename now
  // moves the file from where its folder took it.
  it('a file moved out of a folder renamed in the same sync, a new file in its old place: all agree', async () => {
    const roots = [0, 1, 2].map((index) => path.join(makeTempDir(`out-of-moved-${index}`), 'replica'));
    for (const root of roots) fs.mkdirSync(root);
    const [r0, r1, r2] = roots as [string, string, string];
    writeUserFile(r0, 'sub/d.txt', 'moved twice');
    await syncFolderPair(r1, r0);
    fs.renameSync(path.join(r0, 'sub'), path.join(r0, 'top'));
    await syncFolderPair(r1, r2);
    await syncFolderPair(r1, r0);
    fs.mkdirSync(path.join(r0, 'sub'));
    fs.renameSync(path.join(r0, 'top', 'd.txt'), path.join(r0, 'sub', 'e.txt'));
    writeUserFile(r0, 'sub/d.txt', 'new in the old place');
    await syncFolderPair(r0, r1);
    const onR2 = await syncFolderPair(r1, r2);
    expect(onR2.events).toEqual([]);
    for (let round = 0; round < 2; round += 1) {
      for (const [a, b] of [[r0, r1], [r1, r2], [r2, r0]] as const) await syncFolderPair(a, b);
    }
    for (const root of roots) {
      expect(['sub/d.txt', 'sub/e.txt'].map((name) => fs.readFileSync(path.join(root, name), 'utf8'))).toEqual(['new in the old place', 'moved twice']);
      expect(snapshotDifferences(snapshotTree(r0), snapshotTree(root))).toEqual([]);
    }
  });

  // Found by the property with folder moves (seed 1859445466, run 655, after the fix above): a folder renamed
  // differently on two replicas is a name conflict with no content; "keep both" saved it for later, so it was met
  // at every sync and never settled, and each file inside got a conflict copy of identical content. It now keeps
  // one name, by the conflict order (the same on every replica), and copies nothing.
  it('a folder renamed differently on two sides: "ask" saves it, "keep both" settles on one name everywhere', async () => {
    const [r0, r1] = [0, 1].map((index) => path.join(makeTempDir(`folder-renamed-twice-${index}`), 'replica')) as [string, string];
    for (const root of [r0, r1]) fs.mkdirSync(root);
    writeUserFile(r0, 'sub/d.txt', 'inside');
    await syncFolderPair(r0, r1);
    fs.renameSync(path.join(r0, 'sub'), path.join(r0, 'left name'));
    fs.renameSync(path.join(r1, 'sub'), path.join(r1, 'right name'));
    const asked = await syncFolderPair(r0, r1);
    // The folder and the file its two renames took along, each once (both legs meet them, under either name).
    expect(asked.conflicts.map((conflict) => [conflict.kind, conflict.resolution])).toEqual([['updateUpdate', 'saved'], ['updateUpdate', 'saved']]);
    const settled = await syncFolderPair(r0, r1, { conflictPolicy: 'keepBoth' });
    expect(settled.conflicts.map((conflict) => conflict.resolution)).toEqual([expect.stringMatching(/^(left|right)Kept$/), expect.stringMatching(/^(left|right)Kept$/)]);
    expect(filesOf(r0)).toHaveLength(1); // no conflict copy of identical content
    expect(foldersOf(r0)).toHaveLength(1);
    expect(snapshotDifferences(snapshotTree(r0), snapshotTree(r1))).toEqual([]);
    const quiet = await syncFolderPair(r0, r1, { conflictPolicy: 'keepBoth' });
    expect([quiet.conflicts, quiet.statistics.leftToRight?.received, quiet.statistics.rightToLeft?.received]).toEqual([[], 0, 0]);
  });

  // Found by the property above: with "keep both", the second leg of the session meets the collision again
  // from the other side and renames once more, so one sync leaves the sides different, and every later sync
  // renames again ("a (2) (2) (2).txt"). Which item is met first depends on the item ids: both orders are tried.
  it.each([1, 2, 3, 4])('different files created at one path on both sides, keep both: one sync keeps both, the same on both sides (id seed %i)', async (idSeed) => {
    const left = path.join(makeTempDir('collide-left'), 'replica');
    const right = path.join(makeTempDir('collide-right'), 'replica');
    fs.mkdirSync(left);
    fs.mkdirSync(right);
    fs.writeFileSync(path.join(left, 'a.txt'), 'written on the left');
    fs.writeFileSync(path.join(right, 'a.txt'), 'written on the right');
    await syncFolderPair(left, right, { conflictPolicy: 'keepBoth', newId: seededIds(idSeed) });
    expect(filesOf(left)).toHaveLength(2);
    expect(snapshotDifferences(snapshotTree(left), snapshotTree(right))).toEqual([]);
  });
});
