import { describe, expect, it } from 'vitest';
import type { ItemRecord } from '../../engine/index.ts';
import { createExcludeMatcher } from './excludeMatcher.ts';
import { previousScanFromMetadata } from './scanStateRebuild.ts';
import type { ScanEntry } from './treeScanner.ts';

const at = { key: 0, tick: 1 };

/** A metadata item with its units as the folder handler records them (`folderUnits.ts`). */
function item(name: string, units: Record<string, string | null>, deleted = false): ItemRecord {
  return { itemId: `id-${name}`, name, created: at, version: at, deleted, units: Object.entries(units).map(([unitId, hash]) => ({ unitId, version: at, hash })) };
}

function entry(entryPath: string): ScanEntry {
  return { path: entryPath, kind: 'file', size: 1, mtimeNs: 1n, ctimeNs: 1n, ino: 7n, mode: 0o644 };
}

describe('previousScanFromMetadata', () => {
  it('makes a record of every live item, with kind and mode, no stat and no hash', () => {
    const records = previousScanFromMetadata([
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
  });

  it('takes the spelling the scan found on disk for an NFC item name', () => {
    const nfd = 'dossier/cafe\u0301.txt';
    const [record] = previousScanFromMetadata([item(nfd.normalize('NFC'), { kind: 'file', mode: '644', content: 'h' })], [entry(nfd)], createExcludeMatcher());
    expect(record?.path).toBe(nfd);
  });

  it('leaves out what a scan never reports, so none of it can count as deleted', () => {
    const records = previousScanFromMetadata([
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
});
