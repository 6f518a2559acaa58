import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalChangeTracker } from './localChangeTracker.ts';
import { MetadataSyncProvider } from './metadataSyncProvider.ts';
import { synchronize } from './syncOrchestrator.ts';
import { guidFrom, idSource, openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';
import { MetadataStore } from '../store/metadata/metadataStore.ts';

const stores: MetadataStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function openStore(): MetadataStore {
  const store = MetadataStore.open({ path: path.join(tempDir(), 'tracker.db'), replicaId: () => guidFrom(7) });
  stores.push(store);
  return store;
}

const units = (content: string) => new Map([['content', content]]);

/** Records `names` (name → content hash) as created, and returns the item ids by name. */
function seed(store: MetadataStore, names: Record<string, string>): Record<string, string> {
  const tracker = new LocalChangeTracker(store, idSource('i'));
  const ids = Object.fromEntries(Object.entries(names).map(([name, hash]) => [name, tracker.observe(name, units(hash))]));
  tracker.commit();
  return ids;
}

describe('LocalChangeTracker.observeRenamed', () => {
  it('keeps the item id, stamps a new item version, and new unit versions only where hashes changed', () => {
    const store = openStore();
    const ids = seed(store, { 'a.txt': 'h1', 'b.txt': 'h2' });
    const before = store.getItem(ids['b.txt'] ?? '');
    const tracker = new LocalChangeTracker(store, idSource('new'));
    tracker.observeRenamed([
      { from: 'a.txt', to: 'docs/a.txt', hashes: units('h1') },
      { from: 'b.txt', to: 'b2.txt', hashes: units('h2 edited') },
    ]);
    expect(tracker.commit()).toBe(2);
    const moved = store.findLiveItemByName('docs/a.txt');
    expect(moved?.itemId).toBe(ids['a.txt']);
    expect(moved?.version.tick).toBeGreaterThan(2);
    expect(moved?.units[0]?.version.tick).toBe(1); // content untouched: its version stays
    const edited = store.findLiveItemByName('b2.txt');
    expect(edited?.itemId).toBe(ids['b.txt']);
    expect(edited?.units[0]).toMatchObject({ hash: 'h2 edited' });
    expect(edited?.units[0]?.version.tick).toBeGreaterThan(before?.units[0]?.version.tick ?? 0);
    expect([store.findLiveItemByName('a.txt'), store.findLiveItemByName('b.txt')]).toEqual([undefined, undefined]);
  });

  it('resolves chains and swaps by looking up every source first; an unknown source is a new item', () => {
    const store = openStore();
    const ids = seed(store, { a: 'ha', b: 'hb', x: 'hx', y: 'hy' });
    const tracker = new LocalChangeTracker(store, idSource('new'));
    tracker.prefetchNames(['a', 'b', 'c', 'x', 'y', 'ghost', 'g']);
    tracker.observeRenamed([
      { from: 'a', to: 'b', hashes: units('ha') },
      { from: 'b', to: 'c', hashes: units('hb') },
      { from: 'x', to: 'y', hashes: units('hx') },
      { from: 'y', to: 'x', hashes: units('hy') },
      { from: 'ghost', to: 'g', hashes: units('hg') },
    ]);
    tracker.commit();
    const idAt = (name: string) => store.findLiveItemByName(name)?.itemId;
    expect([idAt('a'), idAt('b'), idAt('c'), idAt('x'), idAt('y')]).toEqual([undefined, ids.a, ids.b, ids.y, ids.x]);
    expect(idAt('g')).toBe('new00000001');
  });

  it('a full scan does not take a renamed item for deleted', () => {
    const store = openStore();
    const ids = seed(store, { old: 'h', other: 'o' });
    const tracker = new LocalChangeTracker(store, idSource('new'));
    tracker.beginFullScan();
    tracker.observeRenamed([{ from: 'old', to: 'new', hashes: units('h') }]);
    tracker.observe('other', units('o'));
    tracker.deleteUnseen();
    tracker.commit();
    expect(store.findLiveItemByName('new')?.itemId).toBe(ids.old);
    expect(store.getItem(ids.old ?? '')?.deleted).toBe(false);
  });

  it('ignoreUnits: a unit the replica cannot hold is neither created, changed nor removed by its observations', () => {
    const store = openStore();
    const tracker = new LocalChangeTracker(store, idSource('i'));
    const id = tracker.observe('f', new Map([['content', 'h1'], ['mode', '644']]));
    tracker.commit();
    const fat = new LocalChangeTracker(store, idSource('n'));
    fat.ignoreUnits(['mode']);
    fat.observe('f', new Map([['content', 'h2'], ['mode', '700']])); // a FAT drive's fixed mode
    const created = fat.observe('g', new Map([['content', 'h3'], ['mode', '700']]));
    fat.observeRenamed([{ from: 'f', to: 'f2', hashes: new Map([['content', 'h2']]) }]);
    fat.commit();
    const units = (itemId: string) => Object.fromEntries((store.getItem(itemId)?.units ?? []).map((unit) => [unit.unitId, unit.hash]));
    expect(units(id)).toEqual({ content: 'h2', mode: '644' });
    expect(units(created)).toEqual({ content: 'h3' });
  });

  it('a reported rename reaches another replica as a rename of the same item', async () => {
    const dir = tempDir();
    const source = openMemoryReplica(dir, 0);
    const destination: TestReplica = openMemoryReplica(dir, 1);
    stores.push(source.store, destination.store);
    source.data.set('draft', { content: 'text' });
    await synchronize(source.provider, destination.provider, { direction: 'upload' });
    const itemId = destination.store.findLiveItemByName('draft')?.itemId;
    // The memory replica reports no renames; report one by hand, as a folder replica does.
    source.data.items.set('final', source.data.items.get('draft') ?? new Map());
    source.data.items.delete('draft');
    const tracker = new LocalChangeTracker(source.store, idSource('x'));
    tracker.observeRenamed([{ from: 'draft', to: 'final', hashes: new Map([['content', source.data.hashUnit('text')]]) }]);
    tracker.commit();
    const provider = new MetadataSyncProvider({ store: source.store, adapter: source.data, newItemId: idSource('y') });
    const result = await synchronize(provider, destination.provider, { direction: 'upload' });
    expect(result.upload).toMatchObject({ received: 1, moved: 1, updated: 0, created: 0, deleted: 0 });
    expect(destination.data.snapshot()).toEqual({ final: { content: 'text' } });
    expect(destination.store.findLiveItemByName('final')?.itemId).toBe(itemId);
  });
});
