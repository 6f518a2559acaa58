import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunAsNobody, makeTempDir, removeTempDirs, runAsNobody, writeFiles } from './testFolders.ts';
import { scanTree, type ScanResult } from './treeScanner.ts';

afterAll(removeTempDirs);

const paths = (scan: ScanResult) => scan.entries.map((entry) => entry.path).sort();

describe('scanTree', () => {
  it('lists files, folders (empty ones too) and links with nanosecond stat, parents first', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'hello', 'docs/b.txt': 'bb', 'docs/deep/c.txt': 'c' });
    fs.mkdirSync(path.join(root, 'empty'));
    fs.symlinkSync('docs/b.txt', path.join(root, 'link'));
    fs.chmodSync(path.join(root, 'a.txt'), 0o640);
    const scan = scanTree(root);
    expect(paths(scan)).toEqual(['a.txt', 'docs', 'docs/b.txt', 'docs/deep', 'docs/deep/c.txt', 'empty', 'link']);
    const file = scan.entries[0];
    expect(file).toMatchObject({ kind: 'file', size: 5, mode: 0o640 });
    expect(typeof file?.mtimeNs).toBe('bigint');
    expect(file?.ino).toBe(fs.statSync(path.join(root, 'a.txt'), { bigint: true }).ino);
    expect(scan.entries.find((entry) => entry.path === 'link')).toMatchObject({ kind: 'symlink', linkTarget: 'docs/b.txt' });
    expect(scan.issues).toEqual([]);
  });

  it('returns the previous record itself for an entry whose stat still matches it, and a fresh entry otherwise', () => {
    const root = makeTempDir();
    writeFiles(root, { 'same.txt': 'same', 'mode.txt': 'mode', 'rewritten.txt': 'v1', 'old-format.txt': 'o' });
    fs.symlinkSync('same.txt', path.join(root, 'link'));
    const first = scanTree(root);
    const known = new Map(first.entries.map((entry) => [entry.path, entry.path === 'old-format.txt' ? { ...entry, ctimeNs: undefined } : { ...entry, hash: 'h' }]));
    fs.chmodSync(path.join(root, 'mode.txt'), 0o600);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); // past a coarse timestamp tick
    fs.writeFileSync(path.join(root, 'rewritten.txt'), 'v2'); // same size; the ctime moves
    const second = scanTree(root, { known });
    const reused = second.entries.filter((entry) => known.get(entry.path) === entry).map((entry) => entry.path);
    expect(reused).toEqual(['same.txt']); // links are always re-read; a record without ctime is never trusted
    const fresh = (name: string) => second.entries.find((entry) => entry.path === name);
    expect(fresh('mode.txt')?.mode).toBe(0o600);
    expect(fresh('rewritten.txt')?.ctimeNs).toBe(fs.lstatSync(path.join(root, 'rewritten.txt'), { bigint: true }).ctimeNs);
  });

  it('never follows symbolic links, to folders outside or inside the root', () => {
    const root = makeTempDir();
    const outside = makeTempDir();
    writeFiles(outside, { 'secret.txt': 's' });
    writeFiles(root, { 'inner/x.txt': 'x' });
    fs.symlinkSync(outside, path.join(root, 'out'));
    fs.symlinkSync('inner', path.join(root, 'loop'));
    expect(paths(scanTree(root))).toEqual(['inner', 'inner/x.txt', 'loop', 'out']);
  });

  it('skips Sync Center\'s metadata at the root and in any folder (another pair\'s, an XML file\'s), and notes our temporary files for cleanup', () => {
    const root = makeTempDir();
    writeFiles(root, {
      '.synccenter/meta.db': 'm',
      'sub/.synccenter/kept.txt': 'k',
      'sub/contacts.xml.synccenter/metadata.db': 'x',
      'sub/contacts.xml': '<contacts/>',
      'sub/notes.synccenter': 'a file of the user named so, not metadata',
      'sub/.x.txt.synccenter-0123456789abcdef.tmp': 't',
      'sub/.x.txt.synccenter-notours.tmp': 'user file',
    });
    const scan = scanTree(root);
    expect(paths(scan)).toEqual(['sub', 'sub/.x.txt.synccenter-notours.tmp', 'sub/contacts.xml', 'sub/notes.synccenter']);
    expect(scan.tempFiles).toEqual(['sub/.x.txt.synccenter-0123456789abcdef.tmp']);
  });

  it('applies gitignore-style excludes, testing folders with a trailing slash', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.log': '', 'keep.txt': '', 'build/out.js': '', 'src/build': 'a file named build', 'node_modules/m/i.js': '', 'src/x.tmp': '' });
    const scan = scanTree(root, { excludes: ['*.log', 'build/', 'node_modules', '**/*.tmp'] });
    expect(paths(scan)).toEqual(['keep.txt', 'src', 'src/build']);
  });

  it('reports NFC/NFD duplicates inside one folder', () => {
    const root = makeTempDir();
    writeFiles(root, { 'caf\u00e9.txt': 'nfc', 'cafe\u0301.txt': 'nfd', 'other.txt': '' });
    const scan = scanTree(root);
    expect(scan.collisions).toEqual([{ directory: '', names: expect.arrayContaining(['caf\u00e9.txt', 'cafe\u0301.txt']) }]);
    expect(scan.entries).toHaveLength(3); // both kept: the sync decides, the scan only reports
  });

  it('fails with ROOT_MISSING for an absent root or a file', () => {
    const root = makeTempDir();
    expect(() => scanTree(path.join(root, 'gone'))).toThrow(expect.objectContaining({ code: 'ROOT_MISSING' }));
    writeFiles(root, { f: '' });
    expect(() => scanTree(path.join(root, 'f'))).toThrow(/Replica root missing.*Nothing was deleted/);
  });

  it('fails with ROOT_MISSING, not an empty listing, when the root vanishes after its check', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a', 'docs/b.txt': 'b' });
    const movedAway = `${root}-moved`;
    // The scan reads the signal just before it lists the root: the folder moves away at that instant.
    const vanishing = { get aborted() {
      if (fs.existsSync(root)) fs.renameSync(root, movedAway);
      return false;
    } } as AbortSignal;
    expect(() => scanTree(root, { signal: vanishing })).toThrow(expect.objectContaining({ code: 'ROOT_MISSING', message: expect.stringContaining(root) }));
    expect(fs.readdirSync(movedAway).sort()).toEqual(['a.txt', 'docs']);
    fs.renameSync(movedAway, root);
  });

  it('records a start time no later than the mtime of a file written after it', () => {
    const root = makeTempDir();
    const scan = scanTree(root);
    writeFiles(root, { later: 'x' });
    expect(fs.statSync(path.join(root, 'later'), { bigint: true }).mtimeNs).toBeGreaterThanOrEqual(scan.startedAtNs);
    expect(fs.readdirSync(root)).toEqual(['later']); // the clock probe is gone
  });

  it('stops when the signal is aborted', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a/b': '' });
    const controller = new AbortController();
    controller.abort();
    expect(() => scanTree(root, { signal: controller.signal })).toThrow(expect.objectContaining({ code: 'CANCELED' }));
  });

  it.skipIf(!canRunAsNobody)('reports an unreadable folder as an issue and scans the rest (as user nobody)', () => {
    const root = makeTempDir();
    writeFiles(root, { 'open/a.txt': 'a', 'closed/secret.txt': 's', 'z.txt': 'z' });
    fs.chmodSync(path.join(root, 'closed'), 0o700); // owned by root: nobody cannot list it
    const result = runAsNobody(`
      const { scanTree } = await import(process.env.HANDLER_DIR + '/treeScanner.ts');
      const scan = scanTree(${JSON.stringify(root)});
      console.log(JSON.stringify({ paths: scan.entries.map((e) => e.path), issues: scan.issues }));
    `) as { paths: string[]; issues: { path: string; code: string; message: string }[] };
    expect(result.paths.sort()).toEqual(['closed', 'open', 'open/a.txt', 'z.txt']);
    expect(result.issues).toEqual([{ path: 'closed', code: 'PERMISSION_DENIED', message: expect.stringMatching(/Permission denied.*closed/) }]);
  });

  it.skipIf(!canRunAsNobody)('fails with ROOT_MISSING for a root it cannot list, instead of reading it as empty (as user nobody)', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a' });
    fs.chmodSync(root, 0o711); // nobody may pass through but not list it
    const result = runAsNobody(`
      const { scanTree } = await import(process.env.HANDLER_DIR + '/treeScanner.ts');
      try { scanTree(${JSON.stringify(root)}); console.log(JSON.stringify({ scanned: true })); }
      catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }
    `);
    expect(result).toEqual({ code: 'ROOT_MISSING', message: expect.stringMatching(/cannot be read: EACCES.*Nothing was deleted/) });
  });
});
