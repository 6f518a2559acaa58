/**
 * Kill safety of the folder handler, through the real CLI: a pair of ~2,000 files (a few of them several MB) is
 * edited on both sides (edits, creates, deletes, renames; never the same path on both sides, so any conflict
 * would be invented), then `synccenter sync` is killed with SIGKILL at a random moment, and synced again.
 *
 * Right after each kill: every file on either side holds a version a user wrote (hash set) and both metadata
 * databases pass `PRAGMA integrity_check`. After the clean sync: it succeeds with no conflict, both sides equal
 * the model of what the users did, no temporary file is left, the databases are intact.
 * Prints "N kills, N survived, 0 lost". Kills: PROOF_KILLS (default 50), split over two pairs run side by side:
 * the first copies on the sync's own thread, the second through the file work pool (`POOLED`: its threshold is
 * lowered, as these syncs copy hundreds of files, not the thousands that start the threads by default).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../handlers/folders/testFolders.ts';
import { syncFolderPair } from '../handlers/folders/syncFolderPair.ts';
import { foreignContents, integrityCheck, leftoverTempFiles, proveKillSafety, runScript, seededRandom, snapshotDifferences, snapshotTree, writeUserFile, type KillablePair, type Random, type TreeSnapshot } from './proofKit.ts';

if (process.env.PROOF_KEEP !== "1") afterAll(removeTempDirs);

const KILLS = Number(process.env.PROOF_KILLS ?? 50);
const FILES = 2_000;
const LARGE_FILES = 8;

type Side = 'left' | 'right';

/** The second pair's CLI: two file threads, taking every run of 64 small files or more. */
const POOLED: NodeJS.ProcessEnv = { SYNCCENTER_FILE_THREADS: '2', SYNCCENTER_FILE_THREADS_FROM: '64' };

/** One pair with the model of what its users wrote. */
class KilledPair implements KillablePair {
  readonly left: string;
  readonly right: string;
  readonly dataDir: string;
  /** Path → hash of the content both sides must end with. */
  readonly model = new Map<string, string>();
  /** Every content any user wrote. */
  readonly written = new Set<string>();
  readonly label: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly random: Random;
  private counter = 0;
  /** What the users did, for diagnosis (written next to the pair when PROOF_KEEP=1). */
  readonly log: string[] = [];

  constructor(label: string, seed: number, env: NodeJS.ProcessEnv = {}) {
    this.label = label;
    this.env = env;
    const base = makeTempDir(`kill-${label}`);
    this.left = path.join(base, 'left');
    this.right = path.join(base, 'right');
    this.dataDir = path.join(base, 'data');
    fs.mkdirSync(this.left);
    fs.mkdirSync(this.right);
    this.random = seededRandom(seed);
  }

  get where(): string {
    return this.dataDir;
  }

  get addArgs(): readonly string[] {
    return ['add', 'folders', this.left, this.right];
  }

  root(side: Side): string {
    return side === 'left' ? this.left : this.right;
  }

  /** Half of the files start on each side, so the first (killed) sync copies both ways. */
  populate(): void {
    for (let index = 0; index < FILES; index += 1) {
      const relative = `d${index % 40}/s${index % 3}/f${index}.${index < LARGE_FILES ? 'bin' : 'txt'}`;
      this.write(index % 2 === 0 ? 'left' : 'right', relative, index < LARGE_FILES);
    }
  }

  /** A round of user changes on both sides, never touching one path on both. */
  mutate(round: number): void {
    const touched = new Set<string>();
    const untouched = (): string | undefined => {
      const paths = [...this.model.keys()];
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const candidate = this.random.pick(paths);
        if (!touched.has(candidate)) return candidate;
      }
      return undefined;
    };
    const side = (): Side => (this.random.chance(0.5) ? 'left' : 'right');
    for (let op = 0; op < 260; op += 1) {
      const roll = this.random.next();
      const existing = untouched();
      if (existing === undefined) continue;
      if (roll < 0.6) {
        touched.add(existing);
        const where = side();
        this.write(where, existing, existing.endsWith('.bin'));
        this.log.push(`${round} edit ${where} ${existing}`);
      } else if (roll < 0.8) {
        const created = `n${round}/${this.random.pick(['a', 'b', 'c'])}/c${++this.counter}.txt`;
        touched.add(created);
        const where = side();
        this.write(where, created, false);
        this.log.push(`${round} create ${where} ${created}`);
      } else if (roll < 0.9) {
        touched.add(existing);
        const where = side();
        fs.rmSync(path.join(this.root(where), existing));
        this.log.push(`${round} delete ${where} ${existing}`);
        this.model.delete(existing);
      } else {
        const renamed = `${path.posix.dirname(existing)}/r${++this.counter}-${path.posix.basename(existing)}`;
        touched.add(existing).add(renamed);
        const sideName = side();
        const where = this.root(sideName);
        fs.renameSync(path.join(where, existing), path.join(where, renamed));
        this.log.push(`${round} rename ${sideName} ${existing} -> ${renamed}`);
        this.model.set(renamed, this.model.get(existing) ?? '');
        this.model.delete(existing);
      }
    }
  }

  private write(side: Side, relative: string, large: boolean): void {
    const size = large ? 1_000_000 + this.random.int(3_000_000) : 20 + this.random.int(6_000);
    const stamp = `${relative} #${++this.counter} ${side} ${this.random.next()}\n`;
    const content = Buffer.alloc(size, stamp);
    const hash = writeUserFile(this.root(side), relative, content);
    this.written.add(hash);
    this.model.set(relative, hash);
  }

  /** Both sides right after a kill: only versions users wrote, intact databases. */
  checkAfterKill(): string[] {
    const problems: string[] = [];
    for (const side of ['left', 'right'] as const) {
      const foreign = foreignContents(snapshotTree(this.root(side)), this.written);
      if (foreign.length > 0) problems.push(`${side}: ${foreign.length} file(s) hold content no user wrote: ${foreign.slice(0, 5).join(', ')}`);
    }
    problems.push(...this.databaseProblems());
    return problems;
  }

  /** After the clean sync: both sides equal the model, nothing left over. Returns problems and lost files. */
  checkConverged(): { problems: string[]; lost: number } {
    const expected: TreeSnapshot = new Map([...this.model]);
    const problems: string[] = [];
    let lost = 0;
    for (const side of ['left', 'right'] as const) {
      const actual = new Map([...snapshotTree(this.root(side))].filter(([, hash]) => hash !== 'dir'));
      lost += [...expected].filter(([name, hash]) => actual.get(name) !== hash).length;
      const differences = snapshotDifferences(expected, actual);
      if (differences.length > 0) problems.push(`${side} differs from what the users wrote: ${differences.join('; ')}`);
      const temps = leftoverTempFiles(this.root(side));
      if (temps.length > 0) problems.push(`${side}: temporary files left: ${temps.join(', ')}`);
    }
    problems.push(...this.databaseProblems());
    return { problems, lost };
  }

  /** Diagnosis: the metadata of both sides before the next sync, and the users' operations so far. */
  keepEvidence(round: number): void {
    for (const side of ['left', 'right'] as const) {
      const to = path.join(this.dataDir, '..', `before-${round}-${side}`);
      if (fs.existsSync(path.join(this.root(side), '.synccenter'))) fs.cpSync(path.join(this.root(side), '.synccenter'), to, { recursive: true, filter: (source) => !source.includes('trash') });
    }
    fs.writeFileSync(path.join(this.dataDir, '..', 'operations.log'), this.log.join('\n'));
  }

  private databaseProblems(): string[] {
    const files = [...(['left', 'right'] as const).map((side) => path.join(this.root(side), '.synccenter', 'metadata.db')), path.join(this.dataDir, 'state.db')];
    return files.filter((file) => fs.existsSync(file)).flatMap((file) => {
      const verdict = integrityCheck(file);
      return verdict === 'ok' ? [] : [`${file}: integrity_check says ${verdict}`];
    });
  }
}

describe('kill safety (folders, CLI)', () => {
  it(`a ${FILES}-file sync killed with SIGKILL ${KILLS} times loses nothing`, async () => {
    const total = await proveKillSafety('folders', KILLS, (label, seed) => new KilledPair(label, seed, label === 'pair2' ? POOLED : {}));
    expect(total.failures).toEqual([]);
    expect(total.kills).toBe(KILLS);
    expect(total.survived).toBe(total.kills);
    expect(total.lost).toBe(0);
  }, 900_000);

  it('a first sync killed while a metadata database is being created: the next sync completes', async () => {
    const base = makeTempDir('kill-create');
    const [left, right] = [path.join(base, 'left'), path.join(base, 'right')];
    fs.mkdirSync(left);
    fs.mkdirSync(right);
    writeUserFile(left, 'a.txt', 'a');
    const killed = await runScript(`
      import { DatabaseSync } from 'node:sqlite';
      const { syncFolderPair } = await import(process.env.REPO + '/app/handlers/folders/syncFolderPair.ts');
      const exec = DatabaseSync.prototype.exec;
      // Dies when the new store's schema transaction begins: the file exists, in WAL mode, with no schema yet.
      DatabaseSync.prototype.exec = function (sql) {
        if (sql.startsWith('BEGIN IMMEDIATE')) process.kill(process.pid, 'SIGKILL');
        return exec.call(this, sql);
      };
      await syncFolderPair(${JSON.stringify(left)}, ${JSON.stringify(right)});
    `);
    expect(killed.signal).toBe('SIGKILL');
    const result = await syncFolderPair(left, right);
    expect(result.status).toBe('succeeded');
    expect(snapshotDifferences(snapshotTree(left), snapshotTree(right))).toEqual([]);
  });
});
