/**
 * Faults, through the real CLI (what a user runs, with its Sync results): permission denied on a file and on a
 * folder (as user `nobody`: root passes every permission check), a full disk (a 2 MB tmpfs, where the suite may
 * mount one), a file changed during its copy, the root removed mid-sync, a file where a folder was expected.
 *
 * Each gives a clear event naming the path, loses nothing (every version users wrote is still on a side, in a
 * trash or a conflict copy; no partial file at a real path), and once the fault is gone the next sync converges.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunAsNobody, makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { cliEnvironment, cliMain, foreignContents, leftoverTempFiles, runCli, sha256, snapshotDifferences, snapshotTree, writeUserFile } from './proofKit.ts';

const mounted: string[] = [];
afterAll(() => {
  for (const directory of mounted.splice(0)) spawnSync('umount', ['-l', directory]);
  removeTempDirs();
});

/** A pair added through the CLI, with the hashes of everything users wrote. */
class CliPair {
  readonly base = makeTempDir('faults');
  readonly left = path.join(this.base, 'left');
  readonly right: string;
  readonly dataDir = path.join(this.base, 'data');
  readonly written = new Set<string>();
  /** Versions users replaced themselves (they may still appear, but need not). */
  readonly discarded = new Set<string>();

  constructor(right?: string) {
    this.right = right ?? path.join(this.base, 'right');
    fs.mkdirSync(this.left, { recursive: true });
    fs.mkdirSync(this.right, { recursive: true });
  }

  discard(hash: string): void {
    this.discarded.add(hash);
  }

  write(side: 'left' | 'right', relative: string, content: string | Buffer): void {
    this.written.add(writeUserFile(side === 'left' ? this.left : this.right, relative, content));
  }

  async add(): Promise<void> {
    const added = await runCli(this.dataDir, ['add', 'folders', this.left, this.right]);
    if (added.status !== 0) throw new Error(`add failed: ${added.stderr}`);
  }

  /** `synccenter sync`; as `nobody` when asked (the data dir and both roots are given to nobody first). */
  async sync(asNobody = false): Promise<{ status: number | null; output: string }> {
    if (!asNobody) {
      const run = await runCli(this.dataDir, ['sync']);
      return { status: run.status, output: run.stdout + run.stderr };
    }
    const env = cliEnvironment();
    delete env.NODE_COMPILE_CACHE; // root's cache is not nobody's to write
    const child = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, cliMain, '--data-dir', this.dataDir, 'sync'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, output })));
  }

  /** Sync results (events), newest first, as the CLI prints them with --json. */
  async events(): Promise<{ level: string; name: string; description: string; context?: string | null }[]> {
    const run = await runCli(this.dataDir, ['--json', 'events']);
    return JSON.parse(run.stdout) as { level: string; name: string; description: string }[];
  }

  /** Open conflicts, as the CLI lists them. */
  async conflicts(): Promise<{ kind: string; name: string }[]> {
    return JSON.parse((await runCli(this.dataDir, ['--json', 'conflicts'])).stdout) as { kind: string; name: string }[];
  }

  /** Every version users wrote is on a side (maybe as a conflict copy) or in a trash; no partial or foreign file. */
  lostOrForeign(): { lost: number; foreign: string[] } {
    const present = new Set<string>();
    const foreign: string[] = [];
    for (const root of [this.left, this.right]) {
      if (!fs.existsSync(root)) continue;
      const snapshot = snapshotTree(root);
      foreign.push(...foreignContents(snapshot, this.written).map((name) => `${root}/${name}`));
      for (const hash of snapshot.values()) present.add(hash);
      const trash = path.join(root, '.synccenter', 'trash');
      if (fs.existsSync(trash)) for (const hash of snapshotTree(trash).values()) present.add(hash);
    }
    return { lost: [...this.written].filter((hash) => !present.has(hash) && !this.discarded.has(hash)).length, foreign };
  }

  givenToNobody(): void {
    for (const directory of [this.base, this.left, this.right, this.dataDir]) {
      if (!fs.existsSync(directory)) continue;
      spawnSync('chown', ['-R', '65534:65534', directory]);
    }
  }
}

/** The event that names `needle`, if any. */
function naming(events: { description: string; context?: string | null }[], needle: string) {
  return events.find((event) => event.description.includes(needle) || event.context === needle);
}

const canMount = process.getuid?.() === 0 && process.platform === 'linux' && (() => {
  const probe = makeTempDir('tmpfs-probe');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe]).status === 0;
  if (ok) spawnSync('umount', [probe]);
  return ok;
})();
if (!canMount) console.log('[proof] faults: the full-disk case is skipped: mounting a tmpfs needs root on Linux with mount rights');

/** Waits until `predicate` holds (polling every 2 ms), or `ms` passed. */
async function until(predicate: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return false;
}

describe('faults (CLI): each gives a clear event naming the path and loses nothing', () => {
  it.skipIf(!canRunAsNobody)('permission denied on a file: it is skipped with a warning naming it, the rest syncs, and it follows once readable', async () => {
    const pair = new CliPair();
    pair.write('left', 'ok.txt', 'readable');
    pair.write('left', 'private/secret.txt', 'only root may read this');
    await pair.add();
    pair.givenToNobody();
    spawnSync('chown', ['0:0', path.join(pair.left, 'private', 'secret.txt')]);
    fs.chmodSync(path.join(pair.left, 'private', 'secret.txt'), 0o600);
    const first = await pair.sync(true);
    expect(first.status, first.output).toBe(0);
    expect(naming(await pair.events(), 'private/secret.txt')).toMatchObject({ level: 'warning', description: expect.stringMatching(/Permission denied/) });
    expect(fs.existsSync(path.join(pair.right, 'ok.txt'))).toBe(true);
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
    spawnSync('chown', ['65534:65534', path.join(pair.left, 'private', 'secret.txt')]);
    expect((await pair.sync(true)).status).toBe(0);
    expect(snapshotDifferences(snapshotTree(pair.left), snapshotTree(pair.right))).toEqual([]);
  });

  it.skipIf(!canRunAsNobody)('permission denied on a folder: what fits is written, an event names the folder\'s file, and it follows once writable', async () => {
    const pair = new CliPair();
    pair.write('left', 'a.txt', 'a');
    pair.write('left', 'locked/b.txt', 'b');
    pair.write('left', 'z.txt', 'z');
    await pair.add();
    pair.givenToNobody();
    fs.mkdirSync(path.join(pair.right, 'locked'), { mode: 0o755 }); // owned by root: nobody cannot write in it
    const first = await pair.sync(true);
    expect([0, 1]).toContain(first.status);
    expect(naming(await pair.events(), 'locked/b.txt'), JSON.stringify(await pair.events())).toMatchObject({ description: expect.stringMatching(/Permission denied/) });
    expect(fs.readFileSync(path.join(pair.right, 'a.txt'), 'utf8')).toBe('a');
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
    expect(leftoverTempFiles(pair.right)).toEqual([]);
    spawnSync('chown', ['65534:65534', path.join(pair.right, 'locked')]);
    expect((await pair.sync(true)).status).toBe(0);
    expect(snapshotDifferences(snapshotTree(pair.left), snapshotTree(pair.right))).toEqual([]);
  });

  it.skipIf(!canMount)('a full disk (2 MB tmpfs): the file that does not fit is named, nothing partial is left, and it follows once there is room', async () => {
    const right = makeTempDir('full-disk');
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', right]).status).toBe(0);
    mounted.push(right);
    const pair = new CliPair(right);
    pair.write('left', 'small.txt', 'fits');
    pair.write('left', 'big.bin', Buffer.alloc(3 * 1024 * 1024, 7));
    await pair.add();
    const first = await pair.sync();
    expect([0, 1]).toContain(first.status);
    expect(naming(await pair.events(), 'big.bin')).toMatchObject({ description: expect.stringMatching(/No space left/) });
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
    expect(leftoverTempFiles(pair.right)).toEqual([]);
    expect(spawnSync('mount', ['-o', 'remount,size=16m', right]).status).toBe(0);
    expect((await pair.sync()).status).toBe(0);
    expect(snapshotDifferences(snapshotTree(pair.left), snapshotTree(pair.right))).toEqual([]);
  });

  it('a file changed during its copy: the copy is discarded with an event naming it, never installed half-old, and it follows next time', async () => {
    const pair = new CliPair();
    const original = Buffer.alloc(96 * 1024 * 1024, 'a');
    pair.write('left', 'growing.bin', original);
    pair.write('left', 'other.txt', 'other');
    await pair.add();
    const syncing = pair.sync();
    // As soon as the copy has started (its temporary file exists), a program rewrites the middle of the file.
    const started = await until(() => leftoverTempFiles(pair.right).some((name) => name.includes('growing.bin')), 20_000);
    const changed = Buffer.from(original);
    changed.fill('b', 40 * 1024 * 1024, 41 * 1024 * 1024);
    const fd = fs.openSync(path.join(pair.left, 'growing.bin'), 'r+');
    fs.writeSync(fd, changed, 40 * 1024 * 1024, 1024 * 1024, 40 * 1024 * 1024);
    fs.closeSync(fd);
    pair.written.add(sha256(changed));
    pair.discard(sha256(original)); // the user's own program replaced that version
    const first = await syncing;
    expect(started).toBe(true);
    expect([0, 1]).toContain(first.status);
    const copied = path.join(pair.right, 'growing.bin');
    // Either the copy was discarded (and an event says so), or a whole version arrived (the copy ended before the
    // change, or began after it); a mix of both is caught as foreign content below.
    if (!fs.existsSync(copied)) expect(naming(await pair.events(), 'growing.bin')).toMatchObject({ description: expect.stringMatching(/changed while it was being copied/) });
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
    expect((await pair.sync()).status).toBe(0);
    expect(sha256(fs.readFileSync(copied))).toBe(sha256(changed));
    expect(leftoverTempFiles(pair.right)).toEqual([]);
  }, 120_000);

  it('the root removed mid-sync: an event names it, nothing is deleted on the other side, the next sync refuses to run, and all is well once it is back', async () => {
    const pair = new CliPair();
    for (let index = 0; index < 30; index += 1) pair.write('right', `kept/r${index}.txt`, `right ${index}`);
    pair.write('left', 'big.bin', Buffer.alloc(64 * 1024 * 1024, 'x'));
    await pair.add();
    expect((await pair.sync()).status).toBe(0);
    const rightBefore = snapshotTree(pair.right);
    pair.write('right', 'big.bin', Buffer.alloc(64 * 1024 * 1024, 'y')); // something to copy into the left
    pair.discard(sha256(Buffer.alloc(64 * 1024 * 1024, 'x')));
    const syncing = pair.sync();
    // Wait for the copy itself (not the scan's clock probe, another temporary file in the root).
    expect(await until(() => leftoverTempFiles(pair.left).some((name) => name.includes('big.bin')), 20_000)).toBe(true);
    const keptAside = `${pair.left}-moved`;
    fs.renameSync(pair.left, keptAside); // the root vanishes (an unmounted drive); the user still has it elsewhere
    const first = await syncing;
    // Nothing may be written where the root was (an unmounted drive leaves its mount point there).
    const recreated = fs.existsSync(pair.left) ? fs.readdirSync(pair.left, { recursive: true }).map(String).sort() : [];
    expect.soft(recreated, 'the vanished root was recreated by the sync').toEqual([]);
    expect([0, 1]).toContain(first.status);
    expect((await pair.events()).some((event) => event.description.includes(pair.left)), first.output).toBe(true);
    for (const [name, hash] of rightBefore) if (name !== 'big.bin') expect(snapshotTree(pair.right).get(name)).toBe(hash);
    const again = await pair.sync();
    expect(again.status).toBe(1);
    expect((await pair.events())[0]).toMatchObject({ level: 'error', description: expect.stringMatching(new RegExp(`${pair.left.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*(missing|Nothing was deleted)`)) });
    expect(snapshotTree(pair.right).size).toBe(rightBefore.size);
    // Put the root back (first removing what a sync wrote at its path, if that is all there is).
    const stray = fs.existsSync(pair.left) ? fs.readdirSync(pair.left, { recursive: true }).map(String).sort() : [];
    if (stray.every((name) => name === '.synccenter' || name === path.join('.synccenter', 'scan-state.tsv'))) fs.rmSync(pair.left, { recursive: true, force: true });
    fs.renameSync(keptAside, pair.left);
    expect((await pair.sync()).status).toBe(0);
    expect(snapshotDifferences(snapshotTree(pair.left), snapshotTree(pair.right))).toEqual([]);
    expect([...leftoverTempFiles(pair.left), ...leftoverTempFiles(pair.right)]).toEqual([]);
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
  }, 120_000);

  it('a file where a folder was expected: a conflict names the path, both the file and the folder\'s files are kept', async () => {
    const pair = new CliPair();
    pair.write('left', 'docs/readme.txt', 'a file in a folder');
    pair.write('left', 'docs/notes/n.txt', 'deeper');
    pair.write('right', 'docs', 'a file where the left has a folder');
    await pair.add();
    const first = await pair.sync();
    expect([0, 3]).toContain(first.status);
    const conflicts = await pair.conflicts();
    const events = await pair.events();
    expect(conflicts.some((conflict) => conflict.name === 'docs') || naming(events, 'docs') !== undefined, JSON.stringify({ conflicts, events })).toBe(true);
    expect(pair.lostOrForeign()).toEqual({ lost: 0, foreign: [] });
    expect(fs.readFileSync(path.join(pair.left, 'docs', 'readme.txt'), 'utf8')).toBe('a file in a folder');
  });
});
