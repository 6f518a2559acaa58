import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CHUNK_SIZE, hashFileSync } from './contentHash.ts';
import { processUmask } from './copyToTemp.ts';
import { checkDestination, expectationOf } from './destinationCheck.ts';
import { changeDetail, SourceChangedError, toFolderError, type FolderError } from './errors.ts';
import { handlerText, translateText } from '../handlerText.ts';
import { MIN_GRANULARITY_NS } from './fileSystemClock.ts';
import { cleanupTempFiles, FileTransfer } from './fileTransfer.ts';
import { canRunAsNobody, makeTempDir, readText, removeTempDirs, runAsNobody, writeFiles } from './testFolders.ts';
import { Trash } from './trash.ts';
import { scanTree } from './treeScanner.ts';

afterAll(removeTempDirs);

function pair() {
  const source = makeTempDir('src');
  const destination = makeTempDir('dst');
  const trash = new Trash(destination);
  return { source, destination, trash, transfer: new FileTransfer(destination, trash) };
}

const statOf = (root: string, relative: string) => scanTree(root).entries.find((entry) => entry.path === relative);
const visible = (root: string) => scanTree(root).entries.map((entry) => entry.path).sort();

describe('FileTransfer.prepare', () => {
  it('copies into a temp file beside the destination, keeping mode and mtime, and reports bytes', async () => {
    const { source, destination, transfer } = pair();
    writeFiles(source, { 'd/a.bin': Buffer.alloc(3 * 1024 * 1024 + 7, 1) });
    fs.chmodSync(path.join(source, 'd/a.bin'), 0o751);
    fs.utimesSync(path.join(source, 'd/a.bin'), 1_600_000_000.25, 1_600_000_000.25);
    let bytes = 0;
    const copier = new FileTransfer(destination, new Trash(destination), { onBytes: (count) => (bytes += count) });
    const prepared = await copier.prepare({ sourceRoot: source, sourcePath: 'd/a.bin', destinationPath: 'd/a.bin' });
    expect(path.dirname(prepared.tempPath)).toBe(path.join(destination, 'd'));
    expect(path.basename(prepared.tempPath)).toMatch(/^\.a\.bin\.synccenter-[0-9a-f]{16}\.tmp$/);
    expect(bytes).toBe(3 * 1024 * 1024 + 7);
    const stat = fs.statSync(prepared.tempPath, { bigint: true });
    expect(Number(stat.mode) & 0o777).toBe(0o751);
    expect(stat.mtimeNs).toBe(1_600_000_000_250_000_000n);
    expect(prepared.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(visible(destination)).toEqual(['d']); // not visible until installed
    void transfer;
  });

  it('never carries set-user-id bits', async () => {
    const { source, transfer } = pair();
    writeFiles(source, { s: 'x' });
    fs.chmodSync(path.join(source, 's'), 0o4755);
    const prepared = await transfer.prepare({ sourceRoot: source, sourcePath: 's', destinationPath: 's' });
    expect(fs.statSync(prepared.tempPath).mode & 0o7777).toBe(0o755);
  });

  it('gives every copy, small or large, exactly its source\'s mode, also where the umask would strip bits', async () => {
    const { source, transfer } = pair();
    const modes = [0o400, 0o600, 0o640, 0o644, 0o664, 0o666, 0o700, 0o755, 0o775, 0o777];
    const sizes = { small: 10, large: CHUNK_SIZE + 1 };
    for (const mode of modes) {
      for (const [kind, size] of Object.entries(sizes)) {
        const name = `${kind}-${mode.toString(8)}`;
        writeFiles(source, { [name]: Buffer.alloc(size, 1) });
        fs.chmodSync(path.join(source, name), mode);
        const stat = fs.lstatSync(path.join(source, name), { bigint: true });
        const expectedSource = { size, mtimeNs: stat.mtimeNs, ino: stat.ino };
        const prepared = await transfer.prepare({ sourceRoot: source, sourcePath: name, destinationPath: name, expectedSource });
        expect([name, fs.statSync(prepared.tempPath).mode & 0o7777]).toEqual([name, mode]);
      }
    }
    expect(processUmask()).toBe(Number.parseInt(execFileSync('sh', ['-c', 'umask']).toString(), 8)); // the umask the choice rests on
  });

  it('stops inside a large file and leaves no temp file', async () => {
    const { source, destination } = pair();
    writeFiles(source, { big: Buffer.alloc(8 * 1024 * 1024) });
    const controller = new AbortController();
    const transfer = new FileTransfer(destination, new Trash(destination), { signal: controller.signal, onBytes: () => controller.abort() });
    await expect(transfer.prepare({ sourceRoot: source, sourcePath: 'big', destinationPath: 'big' })).rejects.toMatchObject({ code: 'CANCELED' });
    expect(fs.readdirSync(destination)).toEqual([]);
  });

  it('discards the copy when the source changes during it', async () => {
    const { source, destination } = pair();
    writeFiles(source, { f: Buffer.alloc(4 * 1024 * 1024) });
    let once = false;
    const onBytes = () => {
      if (!once) fs.appendFileSync(path.join(source, 'f'), 'more');
      once = true;
    };
    const transfer = new FileTransfer(destination, new Trash(destination), { onBytes });
    await expect(transfer.prepare({ sourceRoot: source, sourcePath: 'f', destinationPath: 'f' })).rejects.toMatchObject({ code: 'SOURCE_CHANGED' });
    expect(fs.readdirSync(destination)).toEqual([]);
  });

  it('refuses a source that differs from the scan, or was swapped for a link', async () => {
    const { source, transfer } = pair();
    writeFiles(source, { f: 'one', target: 't' });
    const scanned = statOf(source, 'f');
    writeFiles(source, { f: 'two!' });
    await expect(transfer.prepare({ sourceRoot: source, sourcePath: 'f', destinationPath: 'f', expectedSource: scanned })).rejects.toMatchObject({ code: 'SOURCE_CHANGED' });
    fs.rmSync(path.join(source, 'f'));
    fs.symlinkSync('target', path.join(source, 'f'));
    await expect(transfer.prepare({ sourceRoot: source, sourcePath: 'f', destinationPath: 'f' })).rejects.toMatchObject({ code: 'IO_ERROR' });
  });

  it('takes the source replica\'s hash for a small file only when it provably still describes the bytes', async () => {
    const { source, transfer } = pair();
    writeFiles(source, { 'old.txt': 'settled content', 'racy.txt': 'just written' });
    fs.utimesSync(path.join(source, 'old.txt'), 1_600_000_000, 1_600_000_000);
    const stat = (name: string) => fs.lstatSync(path.join(source, name), { bigint: true });
    const expected = (name: string) => ({ size: Number(stat(name).size), mtimeNs: stat(name).mtimeNs, ino: stat(name).ino, ctimeNs: stat(name).ctimeNs, hash: 'recorded', stableBeforeNs: stat(name).ctimeNs - 1_000_000_000n });
    const copy = async (name: string, expectedSource: ReturnType<typeof expected>) => (await transfer.prepare({ sourceRoot: source, sourcePath: name, destinationPath: name, expectedSource })).hash;
    const settled = expected('old.txt');
    expect(await copy('old.txt', settled)).toBe('recorded'); // modified long before the scan, ctime unmoved
    const real = (name: string) => hashFileSync(path.join(source, name), name);
    expect(await copy('racy.txt', expected('racy.txt'))).toBe(real('racy.txt')); // modified within the racy window
    fs.chmodSync(path.join(source, 'old.txt'), 0o600); // the ctime moves: the record can no longer vouch for the bytes
    expect(await copy('old.txt', { ...settled, mtimeNs: stat('old.txt').mtimeNs })).toBe(real('old.txt'));
  });

  it('prepareAll continues past a failing file', async () => {
    const { source, transfer } = pair();
    writeFiles(source, { a: 'a', c: 'c' });
    const results = await transfer.prepareAll(['a', 'missing', 'c'].map((name) => ({ sourceRoot: source, sourcePath: name, destinationPath: name })));
    expect(results.map((result) => (result.ok ? 'ok' : result.error.path))).toEqual(['ok', 'missing', 'ok']);
  });

  it('starts writing back unfsynced copies while the batch copies: one flush at a time, each `everyBytes`, awaited before it returns', async () => {
    const { source, destination, trash } = pair();
    const names = Array.from({ length: 12 }, (_, index) => `f${index}`);
    writeFiles(source, Object.fromEntries(names.map((name) => [name, 'x'.repeat(1000)])));
    const started: string[] = [];
    let finish: () => void = () => undefined;
    let finished = false;
    // The first flush waits for `finish`; later ones (copies still running after it, on a slow machine) do not.
    const start = (directory: string) => {
      started.push(directory);
      if (started.length > 1) return Promise.resolve();
      return new Promise<void>((resolve) => (finish = () => { finished = true; resolve(); }));
    };
    const transfer = new FileTransfer(destination, trash, { flushAhead: { everyBytes: 3000, start } });
    const requests = names.map((name) => ({ sourceRoot: source, sourcePath: name, destinationPath: name, skipFsync: true }));
    const done = transfer.prepareAll(requests, 1);
    let returned = false;
    void done.then(() => (returned = true));
    await vi.waitFor(() => expect(started).toHaveLength(1));
    await new Promise((resolve) => setImmediate(resolve));
    // 12,000 bytes: the first flush starts at 3,000 and is still running, so no second one starts beside it.
    expect(started).toEqual([path.resolve(destination)]);
    expect(returned).toBe(false);
    finish();
    expect((await done).every((result) => result.ok)).toBe(true);
    expect(finished).toBe(true);
    // Copies fsynced one by one (no `skipFsync`) need no flush ahead.
    const second = pair();
    writeFiles(second.source, Object.fromEntries(names.map((name) => [name, 'x'.repeat(1000)])));
    const none: string[] = [];
    const plain = new FileTransfer(second.destination, second.trash, { flushAhead: { everyBytes: 1, start: async (directory) => none.push(directory) } });
    await plain.prepareAll(names.map((name) => ({ sourceRoot: second.source, sourcePath: name, destinationPath: name })));
    expect(none).toEqual([]);
  });
});

describe('FileTransfer.install', () => {
  it('creates a new file, replaces an existing one keeping the old content in the trash, and flushes', async () => {
    const { source, destination, trash, transfer } = pair();
    writeFiles(source, { 'new.txt': 'new', 'old.txt': 'updated' });
    writeFiles(destination, { 'old.txt': 'original' });
    const expectedOld = expectationOf(statOf(destination, 'old.txt'));
    const created = transfer.install(await transfer.prepare({ sourceRoot: source, sourcePath: 'new.txt', destinationPath: 'new.txt' }), { kind: 'absent' });
    const replaced = transfer.install(await transfer.prepare({ sourceRoot: source, sourcePath: 'old.txt', destinationPath: 'old.txt' }), expectedOld);
    await transfer.flush();
    expect(created.entry).toMatchObject({ path: 'new.txt', kind: 'file', size: 3 });
    expect([readText(destination, 'new.txt'), readText(destination, 'old.txt')]).toEqual(['new', 'updated']);
    expect(replaced.trashed !== undefined && fs.readFileSync(replaced.trashed, 'utf8')).toBe('original');
    expect(trash.list().map((entry) => entry.relativePath)).toEqual(['old.txt']);
    expect(visible(destination)).toEqual(['new.txt', 'old.txt']);
  });

  it('overwrites a destination whose mtime alone moved if it still holds the content the plan hashed; never one rewritten', async () => {
    const { source, destination, trash, transfer } = pair();
    writeFiles(source, { 'a.txt': 'from source a', 'b.txt': 'from source b', 'c.txt': 'from source c' });
    writeFiles(destination, { 'a.txt': 'planned a', 'b.txt': 'planned b', 'c.txt': 'planned c' });
    const planned = (name: string, withHash: boolean) => {
      const entry = statOf(destination, name);
      if (entry === undefined) throw new Error(`${name} not scanned`);
      return expectationOf(withHash ? { ...entry, hash: hashFileSync(path.join(destination, name), name) } : entry);
    };
    const plan = { 'a.txt': planned('a.txt', true), 'b.txt': planned('b.txt', true), 'c.txt': planned('c.txt', false) };
    const prepared = await transfer.prepareAll((['a.txt', 'b.txt', 'c.txt'] as const).map((name) => ({ sourceRoot: source, sourcePath: name, destinationPath: name })));
    // Only the time moves (touched; on FAT through FUSE a rename stamps the time of the rename): the content decides.
    fs.utimesSync(path.join(destination, 'a.txt'), 1_000_000, 1_000_000);
    // The same size, other bytes, a new time: a real edit.
    fs.writeFileSync(path.join(destination, 'b.txt'), 'PLANNED B');
    fs.utimesSync(path.join(destination, 'b.txt'), 1_000_000, 1_000_000);
    // No hash known: the stat alone cannot prove the content unchanged.
    fs.utimesSync(path.join(destination, 'c.txt'), 1_000_000, 1_000_000);
    const results = transfer.installAll((['a.txt', 'b.txt', 'c.txt'] as const).map((name, index) => {
      const result = prepared[index];
      if (result === undefined || !result.ok) throw new Error(`${name} not prepared`);
      return { prepared: result.value, expected: plan[name] };
    }));
    expect(results.map((result) => (result.ok ? 'ok' : result.error.message))).toEqual(['ok', expect.stringContaining('it was modified'), expect.stringContaining('it was modified')]);
    expect([readText(destination, 'a.txt'), readText(destination, 'b.txt'), readText(destination, 'c.txt')]).toEqual(['from source a', 'PLANNED B', 'planned c']);
    expect(trash.list().map((entry) => entry.relativePath)).toEqual(['a.txt']);
  });

  it('where hard links are refused and a rename stamps the time (FAT through FUSE), an unchanged file still goes to the trash', async () => {
    const { source, destination, trash, transfer } = pair();
    writeFiles(source, { 'b.txt': 'from source b' });
    writeFiles(destination, { 'b.txt': 'planned b' });
    const entry = statOf(destination, 'b.txt');
    if (entry === undefined) throw new Error('b.txt not scanned');
    const expected = expectationOf({ ...entry, hash: hashFileSync(path.join(destination, 'b.txt'), 'b.txt') });
    const [result] = await transfer.prepareAll([{ sourceRoot: source, sourcePath: 'b.txt', destinationPath: 'b.txt' }]);
    if (result === undefined || !result.ok) throw new Error('b.txt not prepared');
    const link = vi.spyOn(fs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    });
    const rename = fs.renameSync;
    const stamp = vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      rename(from, to);
      fs.utimesSync(to, 1_000_000, 1_000_000);
    });
    try {
      transfer.install(result.value, expected);
    } finally {
      link.mockRestore();
      stamp.mockRestore();
    }
    expect(readText(destination, 'b.txt')).toBe('from source b');
    expect(trash.list().map((kept) => kept.relativePath)).toEqual(['b.txt']);
  });

  it('never overwrites any of 1,000 destination edits injected between prepare and install', async () => {
    const { source, destination } = pair();
    const names = Array.from({ length: 1000 }, (_, index) => `f/${index}.txt`);
    writeFiles(source, Object.fromEntries(names.map((name) => [name, `from source ${name}`])));
    writeFiles(destination, Object.fromEntries(names.map((name) => [name, `planned ${name}`])));
    // mtimes that utimes can restore to the nanosecond (multiples of 1/128 s), so a rewrite can keep its stat.
    const second = Math.floor(Date.now() / 1000);
    const times = names.map((_, index) => second + (index % 128) / 128);
    names.forEach((name, index) => fs.utimesSync(path.join(destination, name), times[index] ?? 0, times[index] ?? 0));
    const scan = scanTree(destination);
    const plan = new Map(scan.entries.map((entry) => [entry.path, expectationOf(entry.kind === 'file' ? { ...entry, hash: hashFileSync(path.join(destination, entry.path), entry.path) } : entry)]));
    // The scan counts as having started within one tick of those mtimes (the racily clean case), however long the
    // load of the machine made the steps above take.
    const transfer = new FileTransfer(destination, new Trash(destination), { hashCheckFromNs: BigInt(second) * MIN_GRANULARITY_NS });
    const prepared = await transfer.prepareAll(names.map((name) => ({ sourceRoot: source, sourcePath: name, destinationPath: name })));
    // Edits of every kind a user or program makes: same-size rewrite, append, replace, delete, new at absent path.
    names.forEach((name, index) => {
      const absolute = path.join(destination, name);
      const edit = index % 4;
      if (edit === 0) {
        // Same size, same inode, mtime put back: identical stat; only the racy-clean hash check can tell.
        fs.writeFileSync(absolute, `PLANNED ${name}`);
        fs.utimesSync(absolute, times[index] ?? 0, times[index] ?? 0);
      }
      if (edit === 1) fs.appendFileSync(absolute, ' edited');
      if (edit === 2) {
        fs.writeFileSync(`${absolute}.new`, 'replaced');
        fs.renameSync(`${absolute}.new`, absolute);
      }
      if (edit === 3) fs.rmSync(absolute);
    });
    const results = transfer.installAll(prepared.map((result, index) => {
      if (!result.ok) throw result.error;
      return { prepared: result.value, expected: plan.get(names[index] ?? '') ?? { kind: 'absent' as const } };
    }));
    expect(results.filter((result) => result.ok)).toHaveLength(0);
    expect(new Set(results.map((result) => (result.ok ? 'ok' : result.error.code)))).toEqual(new Set(['DESTINATION_CHANGED']));
    names.forEach((name, index) => {
      const content = readText(destination, name);
      if (index % 4 === 3) expect(content).toBeUndefined();
      else expect(content).not.toContain('from source');
    });
    expect(scanTree(destination).tempFiles).toEqual([]);
    const sameStat = names.filter((name, index) => index % 4 === 0 && statOf(destination, name)?.mtimeNs === (plan.get(name) as { mtimeNs: bigint }).mtimeNs);
    expect(sameStat).toHaveLength(250); // the hardest case really was exercised
  });

  it('refuses an absent-expected install when a file appeared, and installs over nothing else', async () => {
    const { source, destination, transfer } = pair();
    writeFiles(source, { a: 'source' });
    const prepared = await transfer.prepare({ sourceRoot: source, sourcePath: 'a', destinationPath: 'a' });
    writeFiles(destination, { a: 'user' });
    expect(() => transfer.install(prepared, { kind: 'absent' })).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED', path: 'a' }));
    expect(readText(destination, 'a')).toBe('user');
    expect(fs.existsSync(prepared.tempPath)).toBe(false);
    // Nor over a folder or a dangling link that appeared (the install looks at nothing first: the link refuses).
    for (const [name, appear] of [['folder', (at: string) => fs.mkdirSync(at)], ['link', (at: string) => fs.symlinkSync('nowhere', at)]] as const) {
      writeFiles(source, { [name]: 'source' });
      const copy = await transfer.prepare({ sourceRoot: source, sourcePath: name, destinationPath: name });
      appear(path.join(destination, name));
      expect(() => transfer.install(copy, { kind: 'absent' })).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED', path: name }));
      expect(fs.lstatSync(path.join(destination, name)).isFile()).toBe(false);
      expect(fs.existsSync(copy.tempPath)).toBe(false);
    }
  });

  it('does not install over a folder', async () => {
    const { source, destination, transfer } = pair();
    writeFiles(source, { x: 'file' });
    writeFiles(destination, { 'x/inner': 'i' });
    const prepared = await transfer.prepare({ sourceRoot: source, sourcePath: 'x', destinationPath: 'y' });
    const renamed = { ...prepared, destinationPath: 'x' };
    expect(() => transfer.install(renamed, { kind: 'directory' })).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED' }));
    expect(readText(destination, 'x/inner')).toBe('i');
  });

  it('recreates symbolic links as links', () => {
    const { destination, transfer } = pair();
    transfer.install(transfer.prepareSymlink('l', '../elsewhere', 'h'), { kind: 'absent' });
    expect(fs.readlinkSync(path.join(destination, 'l'))).toBe('../elsewhere');
  });
});

describe('FileTransfer folders, deletes and moves', () => {
  it('removes to the trash only what the plan saw', () => {
    const { destination, trash, transfer } = pair();
    writeFiles(destination, { a: 'a', b: 'b' });
    const expectedA = expectationOf(statOf(destination, 'a'));
    const expectedB = expectationOf(statOf(destination, 'b'));
    fs.appendFileSync(path.join(destination, 'b'), ' edited');
    transfer.remove('a', expectedA);
    expect(() => transfer.remove('b', expectedB)).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED' }));
    expect([readText(destination, 'a'), readText(destination, 'b')]).toEqual([undefined, 'b edited']);
    expect(trash.list().map((entry) => entry.relativePath)).toEqual(['a']);
  });

  it('creates empty folders with their mode and removes a folder only when empty', () => {
    const { destination, transfer } = pair();
    expect(transfer.ensureDirectory('x/y', 0o750)).toMatchObject({ kind: 'directory', mode: 0o750 });
    writeFiles(destination, { 'x/y/excluded.log': 'kept' });
    expect(transfer.removeDirectory('x/y')).toBe('notEmpty');
    fs.rmSync(path.join(destination, 'x/y/excluded.log'));
    expect(transfer.removeDirectory('x/y')).toBe('removed');
    expect(transfer.removeDirectory('x/y')).toBe('absent');
  });

  it('moves a file or folder only onto an absent path', async () => {
    const { destination, transfer } = pair();
    writeFiles(destination, { a: 'a', taken: 't', 'dir/c': 'c' });
    expect(transfer.move('a', 'sub/b', expectationOf(statOf(destination, 'a')))).toMatchObject({ path: 'sub/b', kind: 'file' });
    expect(() => transfer.move('sub/b', 'taken', expectationOf(statOf(destination, 'sub/b')))).toThrow(expect.objectContaining({ code: 'DESTINATION_CHANGED' }));
    transfer.move('dir', 'dir2', expectationOf(statOf(destination, 'dir')));
    await transfer.flush();
    expect(visible(destination)).toEqual(['dir2', 'dir2/c', 'sub', 'sub/b', 'taken']);
  });

  it('cleans leftover temporary files and nothing else', () => {
    const { destination } = pair();
    writeFiles(destination, { 'a/.f.synccenter-0123456789abcdef.tmp': 'x', 'a/f': 'keep', '.synccenter-not-ours.tmp': 'keep' });
    expect(cleanupTempFiles(destination)).toEqual(['a/.f.synccenter-0123456789abcdef.tmp']);
    expect(visible(destination)).toEqual(['.synccenter-not-ours.tmp', 'a', 'a/f']);
  });
});

describe.skipIf(!canRunAsNobody)('permission denied (as user nobody)', () => {
  it('fails only the file that cannot be written, with a clear error, and continues', async () => {
    const { source, destination } = pair();
    writeFiles(source, { 'open/a': 'a', 'locked/b': 'b' });
    fs.mkdirSync(path.join(destination, 'open'));
    fs.mkdirSync(path.join(destination, 'locked'));
    fs.chmodSync(path.join(destination, 'open'), 0o777);
    fs.chmodSync(path.join(destination, '.'), 0o777);
    fs.chmodSync(path.join(destination, 'locked'), 0o755); // root-owned: nobody cannot create files in it
    const result = runAsNobody(`
      const { FileTransfer } = await import(process.env.HANDLER_DIR + '/fileTransfer.ts');
      const { Trash } = await import(process.env.HANDLER_DIR + '/trash.ts');
      const transfer = new FileTransfer(${JSON.stringify(destination)}, new Trash(${JSON.stringify(destination)}));
      const source = ${JSON.stringify(source)};
      const prepared = await transfer.prepareAll(['locked/b', 'open/a'].map((p) => ({ sourceRoot: source, sourcePath: p, destinationPath: p })));
      const installed = prepared.filter((r) => r.ok).map((r) => transfer.install(r.value, { kind: 'absent' }).entry.path);
      await transfer.flush();
      console.log(JSON.stringify({ errors: prepared.filter((r) => !r.ok).map((r) => ({ code: r.error.code, path: r.error.path, message: r.error.message })), installed }));
    `) as { errors: { code: string; path: string; message: string }[]; installed: string[] };
    expect(result.installed).toEqual(['open/a']);
    expect(result.errors).toEqual([{ code: 'PERMISSION_DENIED', path: 'locked/b', message: expect.stringMatching(/Permission denied.*locked\/b.*access/) }]);
    expect(readText(destination, 'open/a')).toBe('a');
  });
});

describe('what changed, in the host language', () => {
  it('names the change in English and French: a file that appeared, a size that changed, a copy written to', () => {
    const root = makeTempDir();
    writeFiles(root, { 'a.txt': 'a' });
    const stat = fs.lstatSync(path.join(root, 'a.txt'), { bigint: true });
    const refusal = (expected: Parameters<typeof checkDestination>[2]): FolderError => {
      try {
        checkDestination('a.txt', stat, expected);
      } catch (error) {
        return error as FolderError;
      }
      throw new Error('accepted');
    };
    const french = (error: FolderError) => translateText(error.text, error.text.key, handlerText('fr'));
    const appeared = refusal({ kind: 'absent' });
    expect(appeared.message).toMatch(/^"a.txt" changed on the destination while syncing \(a file appeared there\); it was not overwritten\./);
    expect(french(appeared)).toMatch(/^« a.txt » a changé à la destination pendant la synchronisation \(un fichier est apparu à cet endroit\) ; il n’a pas été écrasé\./);
    const resized = refusal({ kind: 'file', size: 2, mtimeNs: stat.mtimeNs, ino: stat.ino });
    expect(french(resized)).toContain('(sa taille a changé)');
    const copied = new SourceChangedError('big.bin', changeDetail('readBytes', { bytes: 1_048_576, size: 2_097_152 }));
    expect(copied.message).toContain('(read 1048576 bytes of 2097152)');
    expect(french(copied)).toContain('(1\u202f048\u202f576 octets lus sur 2\u202f097\u202f152)');
    const denied = toFolderError(Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'docs/a.txt', 'moving to the trash');
    expect(denied.message).toBe('Permission denied while moving to the trash "docs/a.txt". Give your user read and write access to it, or exclude it from this sync.');
    expect(french(denied)).toBe('Accès refusé à « docs/a.txt » (mise à la corbeille). Donnez à votre utilisateur l’accès en lecture et en écriture, ou excluez-le de cette synchronisation.');
    expect(french(toFolderError(Object.assign(new Error('EIO'), { code: 'EIO' }), 'a.txt', 'writing'))).toBe('Impossible de traiter « a.txt » (écriture, EIO). Vérifiez le disque et synchronisez de nouveau.');
  });
});
