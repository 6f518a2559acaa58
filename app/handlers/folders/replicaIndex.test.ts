import { describe, expect, it } from 'vitest';
import type { FileRecord } from './changeDetector.ts';
import { ReplicaIndex } from './replicaIndex.ts';

const file = (path: string, ino: bigint, hash = 'h'): FileRecord => ({ path, kind: 'file', size: 1, mtimeNs: 1n, ino, mode: 0o644, hash });
const folder = (path: string, ino: bigint): FileRecord => ({ path, kind: 'directory', size: 0, mtimeNs: 1n, ino, mode: 0o755 });
const paths = (index: ReplicaIndex) => index.records().map((record) => record.path);

describe('ReplicaIndex journal', () => {
  it('takes back a withdrawn item\'s changes (a folder move with its content, a delete), and keeps the others', () => {
    const index = new ReplicaIndex([folder('dir', 1n), file('dir/a.txt', 2n), file('gone.txt', 3n), file('kept.txt', 4n)]);
    index.startJournal();
    index.ownedBy('folder-item');
    index.move('dir', 'archive', folder('archive', 1n));
    index.ownedBy('gone-item');
    index.remove('gone.txt');
    index.ownedBy('new-item');
    index.set(file('new.txt', 5n));
    index.ownedBy(undefined);
    expect(paths(index)).toEqual(['archive', 'archive/a.txt', 'kept.txt', 'new.txt']);
    index.takeBack(['folder-item', 'gone-item']);
    expect(paths(index)).toEqual(['dir', 'dir/a.txt', 'gone.txt', 'kept.txt', 'new.txt']);
    expect(index.byName('dir/a.txt')?.ino).toBe(2n);
    expect(index.byName('archive/a.txt')).toBeUndefined();
  });

  it('undoes two owners of one path last one first, and never clobbers a later change by another owner', () => {
    const index = new ReplicaIndex([file('p.txt', 1n, 'v0')]);
    index.startJournal();
    index.ownedBy('first');
    index.set(file('p.txt', 2n, 'v1'));
    index.ownedBy('second');
    index.set(file('p.txt', 3n, 'v2'));
    index.ownedBy(undefined);
    index.takeBack(['first']); // "second" changed the path since: left alone
    expect(index.at('p.txt')?.hash).toBe('v2');
    index.takeBack(['first', 'second']);
    expect(index.at('p.txt')?.hash).toBe('v0');
  });
});
