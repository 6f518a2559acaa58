/**
 * Permission denied during a pair sync, run as user `nobody` (the suite runs as root, which nothing stops).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canRunAsNobody, makeTempDir, readText, removeTempDirs, runAsNobody, writeFiles } from './testFolders.ts';

afterAll(removeTempDirs);

/** Two folders owned by nobody, filled by `setup` (as root, so it can plant files nobody cannot touch). */
function nobodyPair(setup: (left: string, right: string) => void) {
  const left = makeTempDir('left');
  const right = makeTempDir('right');
  for (const root of [left, right]) fs.chownSync(root, 65534, 65534);
  setup(left, right);
  return { left, right };
}

interface NobodyOutcome {
  result?: { status: string; events: { code: string; path: string; message: string }[]; conflicts: unknown[]; received: (number | undefined)[] };
  error?: { code: string; message: string };
}

function syncAsNobody(left: string, right: string): NobodyOutcome {
  return runAsNobody(`
    const { syncFolderPair } = await import(process.env.HANDLER_DIR + '/syncFolderPair.ts');
    try {
      const result = await syncFolderPair(${JSON.stringify(left)}, ${JSON.stringify(right)});
      const received = [result.statistics.leftToRight?.received, result.statistics.rightToLeft?.received];
      console.log(JSON.stringify({ result: { status: result.status, events: result.events, conflicts: result.conflicts, received } }));
    } catch (error) {
      console.log(JSON.stringify({ error: { code: error.code, message: error.message } }));
    }
  `) as NobodyOutcome;
}

function chownTree(root: string, files: readonly string[]): void {
  for (const file of files) {
    for (let current = path.join(root, file); current !== root; current = path.dirname(current)) fs.chownSync(current, 65534, 65534);
  }
}

describe.skipIf(!canRunAsNobody)('permission denied (as user nobody)', () => {
  it('skips a file it cannot read, says so, and syncs the rest', () => {
    const { left, right } = nobodyPair((left) => {
      writeFiles(left, { 'ok.txt': 'fine', 'docs/also.txt': 'fine too', 'secret.txt': 'root only' });
      chownTree(left, ['ok.txt', 'docs/also.txt']);
      fs.chmodSync(path.join(left, 'secret.txt'), 0o600); // owned by root
    });
    const { result, error } = syncAsNobody(left, right);
    expect(error).toBeUndefined();
    expect(result?.status).toBe('succeeded');
    expect(result?.events).toEqual([{ level: 'warning', code: 'PERMISSION_DENIED', path: 'secret.txt', message: expect.stringMatching(/Permission denied.*secret\.txt/), text: { key: 'folderError.PERMISSION_DENIED', values: { path: 'secret.txt', action: { key: 'folderAction.reading', values: {} } } } }]);
    expect([readText(right, 'ok.txt'), readText(right, 'docs/also.txt'), readText(right, 'secret.txt')]).toEqual(['fine', 'fine too', undefined]);
    expect(readText(left, 'secret.txt')).toBe('root only');
  });

  it('skips a file it cannot write into a read-only destination folder, says so, syncs the rest, and catches up once fixed', () => {
    const { left, right } = nobodyPair((left, right) => {
      writeFiles(left, { 'a.txt': 'a', 'locked/b.txt': 'b', 'z.txt': 'z' });
      chownTree(left, ['a.txt', 'locked/b.txt', 'z.txt']);
      fs.mkdirSync(path.join(right, 'locked'), { mode: 0o755 }); // owned by root: nobody cannot create files in it
    });
    const { result, error } = syncAsNobody(left, right);
    expect(error).toBeUndefined();
    expect(result?.status).toBe('succeeded');
    expect(result?.events).toEqual([{ level: 'warning', code: 'PERMISSION_DENIED', path: 'locked/b.txt', message: expect.stringMatching(/Not written into .*right.*Permission denied.*locked\/b\.txt.*tried again on the next sync/), text: expect.objectContaining({ key: 'event.notWritten' }) }]);
    expect([readText(right, 'a.txt'), readText(right, 'z.txt'), readText(right, 'locked/b.txt')]).toEqual(['a', 'z', undefined]);
    expect(readText(left, 'locked/b.txt')).toBe('b');
    // Still read-only: retried and skipped again.
    expect(syncAsNobody(left, right).result).toMatchObject({ status: 'succeeded', events: [{ code: 'PERMISSION_DENIED', path: 'locked/b.txt' }] });
    fs.chownSync(path.join(right, 'locked'), 65534, 65534);
    const fixed = syncAsNobody(left, right).result;
    expect(fixed).toMatchObject({ status: 'succeeded', events: [], conflicts: [] });
    expect(readText(right, 'locked/b.txt')).toBe('b');
    expect(syncAsNobody(left, right).result).toMatchObject({ events: [], received: [0, 0] });
  });

  it('keeps a folder whose content it cannot delete, with one warning, and deletes both once fixed', () => {
    const { left, right } = nobodyPair((left) => {
      writeFiles(left, { 'old/x.txt': 'x', 'keep.txt': 'k' });
      chownTree(left, ['old/x.txt', 'keep.txt']);
    });
    expect(syncAsNobody(left, right).result).toMatchObject({ status: 'succeeded', events: [] });
    fs.rmSync(path.join(left, 'old'), { recursive: true });
    fs.chownSync(path.join(right, 'old'), 0, 0); // nobody can no longer remove what is inside
    const { result } = syncAsNobody(left, right);
    expect(result).toMatchObject({ status: 'succeeded', events: [{ code: 'PERMISSION_DENIED', path: 'old/x.txt' }] });
    expect(readText(right, 'old/x.txt')).toBe('x');
    fs.chownSync(path.join(right, 'old'), 65534, 65534);
    expect(syncAsNobody(left, right).result).toMatchObject({ status: 'succeeded', events: [], conflicts: [] });
    expect([fs.existsSync(path.join(right, 'old')), readText(right, 'keep.txt')]).toEqual([false, 'k']);
  });

  it('keeps the old content of a file it cannot update, with no false conflict once fixed', () => {
    const { left, right } = nobodyPair((left) => {
      writeFiles(left, { 'ro/doc.txt': 'v1', 'free.txt': 'f1' });
      chownTree(left, ['ro/doc.txt', 'free.txt']);
    });
    expect(syncAsNobody(left, right).result).toMatchObject({ status: 'succeeded', events: [] });
    writeFiles(left, { 'ro/doc.txt': 'v2 edited', 'free.txt': 'f2 edited' });
    fs.chownSync(path.join(right, 'ro'), 0, 0); // nobody can no longer replace files in it
    const { result } = syncAsNobody(left, right);
    expect(result).toMatchObject({ status: 'succeeded', events: [{ code: 'PERMISSION_DENIED', path: 'ro/doc.txt' }], conflicts: [] });
    expect([readText(right, 'ro/doc.txt'), readText(right, 'free.txt')]).toEqual(['v1', 'f2 edited']);
    expect(readText(left, 'ro/doc.txt')).toBe('v2 edited'); // the old version did not flow back
    fs.chownSync(path.join(right, 'ro'), 65534, 65534);
    expect(syncAsNobody(left, right).result).toMatchObject({ status: 'succeeded', events: [], conflicts: [] });
    expect([readText(left, 'ro/doc.txt'), readText(right, 'ro/doc.txt')]).toEqual(['v2 edited', 'v2 edited']);
  });
});
