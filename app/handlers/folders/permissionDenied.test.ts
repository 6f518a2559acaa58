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

function syncAsNobody(left: string, right: string): { result?: { status: string; events: { code: string; path: string; message: string }[] }; error?: { code: string; message: string } } {
  return runAsNobody(`
    const { syncFolderPair } = await import(process.env.HANDLER_DIR + '/syncFolderPair.ts');
    try {
      const result = await syncFolderPair(${JSON.stringify(left)}, ${JSON.stringify(right)});
      console.log(JSON.stringify({ result: { status: result.status, events: result.events } }));
    } catch (error) {
      console.log(JSON.stringify({ error: { code: error.code, message: error.message } }));
    }
  `) as ReturnType<typeof syncAsNobody>;
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
    expect(result?.events).toEqual([{ level: 'warning', code: 'PERMISSION_DENIED', path: 'secret.txt', message: expect.stringMatching(/Permission denied.*secret\.txt/) }]);
    expect([readText(right, 'ok.txt'), readText(right, 'docs/also.txt'), readText(right, 'secret.txt')]).toEqual(['fine', 'fine too', undefined]);
    expect(readText(left, 'secret.txt')).toBe('root only');
  });

  it('writes everything it can when a destination folder is not writable, and fails with a clear error', () => {
    const { left, right } = nobodyPair((left, right) => {
      writeFiles(left, { 'a.txt': 'a', 'locked/b.txt': 'b', 'z.txt': 'z' });
      chownTree(left, ['a.txt', 'locked/b.txt', 'z.txt']);
      fs.mkdirSync(path.join(right, 'locked'), { mode: 0o755 }); // owned by root: nobody cannot create files in it
    });
    const { error } = syncAsNobody(left, right);
    expect(error).toEqual({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/1 change\(s\) could not be written; everything else was\. Permission denied.*locked\/b\.txt/) });
    expect([readText(right, 'a.txt'), readText(right, 'z.txt'), readText(right, 'locked/b.txt')]).toEqual(['a', 'z', undefined]);
    expect(readText(left, 'locked/b.txt')).toBe('b');
  });
});
