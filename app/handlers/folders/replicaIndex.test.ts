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

describe('ReplicaIndex moves along with a folder', () => {
  const scanState = (index: ReplicaIndex) => [...index.scanStateRecords().values()].map((record) => `${record.path}#${record.ino}`).sort();

  it('keeps what moved only with its folder where the metadata names it, for the next scan to report the move', () => {
    const index = new ReplicaIndex([folder('dir', 1n), folder('dir/sub', 2n), file('dir/sub/a.txt', 3n), file('other.txt', 4n)]);
    index.move('dir', 'archive', folder('archive', 1n));
    expect(paths(index)).toEqual(['archive', 'archive/sub', 'archive/sub/a.txt', 'other.txt']); // as on disk
    expect(index.movedFrom('archive/sub/a.txt')).toBe('dir/sub/a.txt');
    expect(index.movedFrom('archive')).toBeUndefined(); // the folder itself was renamed by its own write
    expect(index.byName('archive/sub/a.txt')).toBeUndefined(); // not the item of that name: another item, known as dir/sub/a.txt
    expect(index.at('archive/sub/a.txt')?.ino).toBe(3n); // but the place is taken
    expect(scanState(index)).toEqual(['archive#1', 'dir/sub#2', 'dir/sub/a.txt#3', 'other.txt#4']);
  });

  it('forgets a move once the item is renamed by its own write, or the place is written, or the move taken back', () => {
    const index = new ReplicaIndex([folder('dir', 1n), file('dir/a.txt', 2n), file('dir/b.txt', 3n), file('dir/c.txt', 4n)]);
    index.startJournal();
    index.ownedBy('folder-item');
    index.move('dir', 'archive', folder('archive', 1n));
    index.ownedBy(undefined);
    index.settled('archive/a.txt'); // its rename arrived
    index.set(file('archive/b.txt', 5n)); // another item written there by name
    expect(scanState(index)).toEqual(['archive#1', 'archive/a.txt#2', 'archive/b.txt#5', 'dir/c.txt#4']);
    index.takeBack(['folder-item']); // the folder's rename withdrawn: everything it moved is back where it was
    expect(index.movedFrom('archive/c.txt')).toBeUndefined();
    expect(scanState(index)).toEqual(['archive/b.txt#5', 'dir#1', 'dir/a.txt#2', 'dir/b.txt#3', 'dir/c.txt#4']);
  });

  it('leaves out a moved record whose old place holds something else now, so the next scan finds it as new', () => {
    const index = new ReplicaIndex([folder('dir', 1n), file('dir/a.txt', 2n)]);
    index.move('dir', 'archive', folder('archive', 1n));
    index.set(folder('dir', 7n));
    index.set(file('dir/a.txt', 8n));
    expect(scanState(index)).toEqual(['archive#1', 'dir#7', 'dir/a.txt#8']);
  });

  it('a folder moved twice keeps the first place its content had', () => {
    const index = new ReplicaIndex([folder('a', 1n), folder('a/b', 2n), file('a/b/f.txt', 3n)]);
    index.move('a', 'x', folder('x', 1n));
    index.move('x/b', 'y', folder('y', 2n));
    expect(index.movedFrom('y/f.txt')).toBe('a/b/f.txt');
    expect(index.movedFrom('y')).toBeUndefined();
  });
});
