import { describe, expect, it } from 'vitest';
import type { ItemRecord } from '../../engine/index.ts';
import { createExcludeMatcher } from './excludeMatcher.ts';
import type { ChangeSet } from './changeDetector.ts';
import { createContentHasher } from './contentHash.ts';
import { pairMovesByContent, previousScanFromMetadata } from './scanStateRebuild.ts';
import type { ScanEntry } from './treeScanner.ts';

const at = { key: 0, tick: 1 };

/** A metadata item with its units as the folder handler records them (`folderUnits.ts`). */
function item(name: string, units: Record<string, string | null>, deleted = false): ItemRecord {
  return { itemId: `id-${name}`, name, created: at, version: at, deleted, units: Object.entries(units).map(([unitId, hash]) => ({ unitId, version: at, hash })) };
}

function entry(entryPath: string, kind: ScanEntry['kind'] = 'file'): ScanEntry {
  return { path: entryPath, kind, size: 1, mtimeNs: 1n, ctimeNs: 1n, ino: 7n, mode: 0o644 };
}

/** The changes the detector finds against a rebuilt scan: `gone` deleted, `arrived` added. */
function changesOf(gone: readonly string[], arrived: readonly ScanEntry[]): ChangeSet {
  const deleted = gone.map((name) => ({ path: name, kind: name.endsWith('/') ? ('directory' as const) : ('file' as const), size: 0, mtimeNs: 0n, ino: 0n, mode: 0o644 }));
  return { added: arrived, modified: [], deleted, renamed: [], typeChanged: [], unknown: [], unchangedCount: 0, hashes: new Map(), previousAt: [] };
}

describe('previousScanFromMetadata', () => {
  it('makes a record of every live item, with kind and mode, no stat and no hash; the hashes beside', () => {
    const { records, hashes } = previousScanFromMetadata([
      item('a.txt', { kind: 'file', mode: '640', content: 'h-a' }),
      item('docs', { kind: 'directory', mode: '750' }),
      item('link', { kind: 'symlink', content: 'h-link' }),
      item('old.txt', { kind: 'file', mode: '644', content: 'h-old' }, true),
    ], [], createExcludeMatcher());
    expect(records).toEqual([
      { path: 'a.txt', kind: 'file', size: 0, mtimeNs: 0n, ino: 0n, mode: 0o640 },
      { path: 'docs', kind: 'directory', size: 0, mtimeNs: 0n, ino: 0n, mode: 0o750 },
      { path: 'link', kind: 'symlink', size: 0, mtimeNs: 0n, ino: 0n, mode: 0o644 },
    ]);
    expect([...hashes]).toEqual([['a.txt', 'h-a'], ['link', 'h-link']]);
  });

  it('takes the spelling the scan found on disk for an NFC item name', () => {
    const nfd = 'dossier/cafe\u0301.txt';
    const { records, hashes } = previousScanFromMetadata([item(nfd.normalize('NFC'), { kind: 'file', mode: '644', content: 'h' })], [entry(nfd)], createExcludeMatcher());
    expect([records[0]?.path, hashes.get(nfd)]).toEqual([nfd, 'h']);
  });

  it('leaves out what a scan never reports, so none of it can count as deleted', () => {
    const { records } = previousScanFromMetadata([
      item('debug.log', { kind: 'file', mode: '644', content: 'h' }),
      item('build', { kind: 'directory', mode: '755' }),
      item('build/out.o', { kind: 'file', mode: '644', content: 'h' }),
      item('photos/.synccenter/metadata.db', { kind: 'file', mode: '644', content: 'h' }),
      item('notes.xml.synccenter', { kind: 'directory', mode: '755' }),
      item('../outside.txt', { kind: 'file', mode: '644', content: 'h' }),
      item('odd', { kind: 'socket', mode: '644' }),
      item('notes.synccenter', { kind: 'file', mode: '644', content: 'h' }),
    ], [], createExcludeMatcher(['*.log', 'build/']));
    expect(records.map((record) => record.path)).toEqual(['notes.synccenter']); // a file of that name is a user's file
  });

  it('pairs a gone file with the one new file of its content as a move, and nothing ambiguous, empty or a folder', () => {
    const empty = createContentHasher().digest('hex');
    const metadata = new Map([['moved.txt', 'h-moved'], ['twin1.txt', 'h-twin'], ['twin2.txt', 'h-twin'], ['one.txt', 'h-one'], ['empty.txt', empty], ['link', 'h-link']]);
    const arrived = [entry('sub/moved.txt'), entry('sub/twin.txt'), entry('one-a.txt'), entry('one-b.txt'), entry('new-empty.txt'), entry('folder', 'directory'), entry('sub/link', 'symlink')];
    const current = new Map<string, string | undefined>([['sub/moved.txt', 'h-moved'], ['sub/twin.txt', 'h-twin'], ['one-a.txt', 'h-one'], ['one-b.txt', 'h-one'], ['new-empty.txt', empty], ['sub/link', 'h-link']]);
    const changes = changesOf(['moved.txt', 'twin1.txt', 'twin2.txt', 'one.txt', 'empty.txt', 'old-folder/', 'link'], arrived);
    const paired = pairMovesByContent(changes, { records: changes.deleted, hashes: metadata }, current);
    // A link is recorded as a file here (changesOf), so its kinds differ and it stays a delete and a new link.
    expect(paired.renamed.map((move) => [move.from.path, move.to.path, move.by])).toEqual([['moved.txt', 'sub/moved.txt', 'content']]);
    expect(paired.deleted.map((record) => record.path)).toEqual(['twin1.txt', 'twin2.txt', 'one.txt', 'empty.txt', 'old-folder/', 'link']);
    expect(paired.added.map((added) => added.path)).toEqual(['sub/twin.txt', 'one-a.txt', 'one-b.txt', 'new-empty.txt', 'folder', 'sub/link']);
    expect(pairMovesByContent(changesOf(['a.txt'], []), { records: [], hashes: new Map([['a.txt', 'h']]) }, new Map())).toEqual(changesOf(['a.txt'], []));
  });
});
