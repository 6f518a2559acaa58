import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectChanges, isRacilyClean, type ChangeSet, type FileRecord } from './changeDetector.ts';
import { hashFile, hashLinkTarget } from './contentHash.ts';
import { nsToSeconds } from './copyToTemp.ts';
import { MIN_GRANULARITY_NS } from './fileSystemClock.ts';
import { makeTempDir, removeTempDirs, writeFiles } from './testFolders.ts';
import { scanTree, type ScanResult } from './treeScanner.ts';

afterAll(removeTempDirs);

/** Records as a completed sync would write them: stat plus content hash. */
async function recordsOf(scan: ScanResult): Promise<FileRecord[]> {
  return Promise.all(
    scan.entries.map(async (entry) => {
      if (entry.kind === 'directory') return { ...entry };
      const hash = entry.kind === 'symlink' ? hashLinkTarget(entry.linkTarget ?? '') : await hashFile(path.join(scan.root, entry.path), entry.path);
      return { ...entry, hash };
    }),
  );
}

/** Detects with a counting hasher; records are treated as settled (previous scan far after their mtimes). */
async function detect(root: string, records: FileRecord[], previousScanStartNs = 0n, granularityNs = MIN_GRANULARITY_NS) {
  const hashed: string[] = [];
  const scan = scanTree(root);
  const changes = await detectChanges(scan, records, {
    previousScanStartNs,
    granularityNs,
    hash: (relative) => {
      hashed.push(relative);
      return hashFile(path.join(root, relative), relative);
    },
  });
  return { changes, hashed, scan };
}

function summary(changes: ChangeSet) {
  return {
    added: changes.added.map((entry) => entry.path),
    modified: changes.modified.map((change) => `${change.entry.path}:${change.reason}`),
    deleted: changes.deleted.map((record) => record.path),
    renamed: changes.renamed.map((rename) => `${rename.from.path}->${rename.to.path}:${rename.by}${rename.impliedByParent ? ':implied' : ''}`),
    typeChanged: changes.typeChanged.map((change) => `${change.previous.path}:${change.previous.kind}->${change.entry.kind}`),
  };
}

/** Sets every file's mtime an hour back, so nothing is racily clean unless a test makes it so. */
function ageTree(root: string): void {
  const past = Date.now() / 1000 - 3600;
  for (const entry of scanTree(root).entries) {
    if (entry.kind !== 'symlink') fs.utimesSync(path.join(root, entry.path), past, past);
  }
}

async function settledBaseline(root: string) {
  ageTree(root);
  const scan = scanTree(root);
  return { records: await recordsOf(scan), start: scan.startedAtNs };
}

describe('detectChanges', () => {
  it('finds nothing and hashes nothing in an unchanged, settled tree', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a', 'd/b.txt': 'b' });
    const { records, start } = await settledBaseline(root);
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes)).toEqual({ added: [], modified: [], deleted: [], renamed: [], typeChanged: [] });
    expect(changes.unchangedCount).toBe(3);
    expect(hashed).toEqual([]);
  });

  it('classifies added, modified (without hashing) and deleted', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a', 'b.txt': 'b', 'gone.txt': 'g' });
    const { records, start } = await settledBaseline(root);
    writeFiles(root, { 'a.txt': 'longer', 'new.txt': 'new' });
    fs.rmSync(path.join(root, 'gone.txt'));
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes)).toMatchObject({ added: ['new.txt'], modified: ['a.txt:stat'], deleted: ['gone.txt'], renamed: [] });
    expect(hashed).toEqual([]); // no deleted file of new.txt's size: no rename candidate, no hash
  });

  it('detects renames and moves by inode, and folder moves imply their children', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a', 'dir/x.txt': 'x', 'dir/y.txt': 'y' });
    const { records, start } = await settledBaseline(root);
    fs.mkdirSync(path.join(root, 'sub'));
    fs.renameSync(path.join(root, 'a.txt'), path.join(root, 'sub', 'renamed.txt'));
    fs.renameSync(path.join(root, 'dir'), path.join(root, 'moved'));
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes).renamed.sort()).toEqual([
      'a.txt->sub/renamed.txt:inode',
      'dir->moved:inode',
      'dir/x.txt->moved/x.txt:inode:implied',
      'dir/y.txt->moved/y.txt:inode:implied',
    ]);
    expect(summary(changes)).toMatchObject({ added: ['sub'], deleted: [], modified: [] });
    // A rename moves the file's ctime, which could also be a rewrite with its mtime set back: the renamed file is
    // re-hashed. Files moved along with their folder keep their ctime and are not.
    expect(hashed).toEqual(['sub/renamed.txt']);
  });

  it('carries a same-size rewrite with its mtime set back on a renamed file (the move brings the new hash)', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'dir/f.txt': 'aaaa' });
    const { records, start } = await settledBaseline(root);
    const before = fs.statSync(path.join(root, 'dir', 'f.txt'), { bigint: true });
    fs.renameSync(path.join(root, 'dir'), path.join(root, 'moved'));
    fs.writeFileSync(path.join(root, 'moved', 'f.txt'), 'bbbb');
    fs.utimesSync(path.join(root, 'moved', 'f.txt'), nsToSeconds(before.atimeNs), nsToSeconds(before.mtimeNs));
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes).renamed.sort()).toEqual(['dir->moved:inode', 'dir/f.txt->moved/f.txt:inode:implied']);
    expect(hashed).toEqual(['moved/f.txt']);
    expect(changes.hashes.get('moved/f.txt')).toBe(await hashFile(path.join(root, 'moved', 'f.txt'), 'moved/f.txt'));
    expect(changes.hashes.get('moved/f.txt')).not.toBe(records.find((record) => record.path === 'dir/f.txt')?.hash);
  });

  it('detects a rename by size and content when the inode changed (copy then delete)', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'old.txt': 'same content', 'other.txt': 'same-size!!!' });
    const { records, start } = await settledBaseline(root);
    fs.copyFileSync(path.join(root, 'old.txt'), path.join(root, 'new.txt'));
    fs.rmSync(path.join(root, 'old.txt'));
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes)).toMatchObject({ added: [], deleted: [], renamed: ['old.txt->new.txt:content'] });
    expect(hashed).toEqual(['new.txt']);
  });

  it('treats an editor save through a temporary file as a modification, and a file that became a folder as a type change', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'doc.txt': 'v1', 'thing': 'file' });
    const { records, start } = await settledBaseline(root);
    writeFiles(root, { 'doc.txt.tmp': 'v2' });
    fs.renameSync(path.join(root, 'doc.txt.tmp'), path.join(root, 'doc.txt'));
    fs.rmSync(path.join(root, 'thing'));
    writeFiles(root, { 'thing/inside.txt': 'i' });
    const { changes } = await detect(root, records, start);
    expect(summary(changes)).toMatchObject({ modified: ['doc.txt:replaced'], typeChanged: ['thing:file->directory'], added: ['thing/inside.txt'], deleted: [] });
  });

  it('reports a mode change and a retargeted link', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'run.sh': 'echo' });
    fs.symlinkSync('a', path.join(root, 'link'));
    const { records, start } = await settledBaseline(root);
    fs.chmodSync(path.join(root, 'run.sh'), 0o755);
    fs.rmSync(path.join(root, 'link'));
    fs.symlinkSync('b', path.join(root, 'link'));
    const { changes } = await detect(root, records, start);
    expect(summary(changes).modified.sort()).toEqual(['link:linkTarget', 'run.sh:mode']);
  });

  it('never treats records under an unreadable folder as deleted', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'locked/a.txt': 'a', 'free.txt': 'f' });
    const { records, start } = await settledBaseline(root);
    const scan = scanTree(root);
    // What a scan without read access to "locked" returns (the real thing is tested in treeScanner.test.ts).
    const partial = { ...scan, entries: scan.entries.filter((entry) => !entry.path.startsWith('locked/')), issues: [{ path: 'locked', code: 'PERMISSION_DENIED', message: '' }] };
    const changes = await detectChanges(partial, records, { previousScanStartNs: start, granularityNs: MIN_GRANULARITY_NS });
    expect(changes.deleted).toEqual([]);
    expect(changes.unknown.map((record) => record.path)).toEqual(['locked/a.txt']);
  });

  it('re-hashes a file whose stat is unchanged when its ctime moved (mtime set back by a program)', async () => {
    const root = makeTempDir();
    writeFiles(root, { 'f.txt': 'aaaa' });
    const { records, start } = await settledBaseline(root);
    const before = fs.statSync(path.join(root, 'f.txt'), { bigint: true });
    fs.writeFileSync(path.join(root, 'f.txt'), 'bbbb');
    fs.utimesSync(path.join(root, 'f.txt'), nsToSeconds(before.atimeNs), nsToSeconds(before.mtimeNs));
    const { changes, hashed } = await detect(root, records, start);
    expect(summary(changes).modified).toEqual(['f.txt:content']);
    expect(hashed).toEqual(['f.txt']);
  });

  it('misses none of 1,000 same-size rewrites placed just after a scan (racily clean)', async () => {
    const root = makeTempDir();
    const names = Array.from({ length: 1000 }, (_, index) => `r/${index}.txt`);
    writeFiles(root, Object.fromEntries(names.map((name) => [name, `v1-${name.padStart(10, '0')}`])));
    // mtimes within the current second that utimes restores to the nanosecond (multiples of 1/128 s).
    const second = Math.floor(Date.now() / 1000);
    const times = names.map((_, index) => second + (index % 128) / 128);
    names.forEach((name, index) => fs.utimesSync(path.join(root, name), times[index] ?? 0, times[index] ?? 0));
    const first = scanTree(root);
    // Drop ctime from the records: on a coarse clock a rewrite in the same tick leaves it unchanged too.
    const records = (await recordsOf(first)).map((record) => ({ ...record, ctimeNs: undefined }));
    // Rewrite each file right after the scan with same-size content and its exact old mtime: a rewrite inside
    // one timestamp tick. Size, mtime and inode all match the records.
    names.forEach((name, index) => {
      fs.writeFileSync(path.join(root, name), `v2-${name.padStart(10, '0')}`);
      fs.utimesSync(path.join(root, name), times[index] ?? 0, times[index] ?? 0);
    });
    const rescan = scanTree(root);
    // The first scan counts as having started right after the last of those mtimes, within one tick of all of
    // them, whatever the load of the machine made its real start (its own clock is tested elsewhere).
    const scanStartNs = BigInt(second + 1) * MIN_GRANULARITY_NS;
    expect(first.startedAtNs).toBeGreaterThanOrEqual(BigInt(second) * MIN_GRANULARITY_NS);
    const changes = await detectChanges(rescan, records, { previousScanStartNs: scanStartNs, granularityNs: MIN_GRANULARITY_NS });
    expect(changes.modified.filter((change) => change.reason === 'content')).toHaveLength(1000);
    // Without the racy-clean rule (a scan long after the mtimes) stat alone misses every one, as rsync does.
    const blind = await detectChanges(rescan, records, { previousScanStartNs: scanStartNs + 60n * MIN_GRANULARITY_NS, granularityNs: MIN_GRANULARITY_NS });
    expect(blind.modified).toHaveLength(0);
  });

  it('misses none of 1,000 same-size rewrites made immediately after a real scan', async () => {
    const root = makeTempDir();
    const files: Record<string, string> = {};
    for (let index = 0; index < 1000; index += 1) files[`r/${index}.txt`] = `a${index % 10}`;
    writeFiles(root, files);
    const first = scanTree(root);
    const records = await recordsOf(first);
    for (let index = 0; index < 1000; index += 1) fs.writeFileSync(path.join(root, `r/${index}.txt`), `b${index % 10}`);
    const changes = await detectChanges(scanTree(root), records, { previousScanStartNs: first.startedAtNs, granularityNs: MIN_GRANULARITY_NS });
    expect(changes.modified).toHaveLength(1000);
  });

  it('isRacilyClean: at or after previous start minus granularity, or no previous scan', () => {
    const options = { previousScanStartNs: 10_000n, granularityNs: 1_000n };
    expect(isRacilyClean(options, { mtimeNs: 8_999n })).toBe(false);
    expect(isRacilyClean(options, { mtimeNs: 9_000n })).toBe(true);
    expect(isRacilyClean(options, { mtimeNs: 20_000n })).toBe(true);
    expect(isRacilyClean({ previousScanStartNs: undefined, granularityNs: 1n }, { mtimeNs: 0n })).toBe(true);
  });
});
