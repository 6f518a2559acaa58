import { afterEach, describe, expect, it } from 'vitest';
import type { ItemRecord } from './changeBatch.ts';
import { orderForNames } from './nameOrder.ts';
import { synchronize } from './syncOrchestrator.ts';
import { openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';

const open: TestReplica[] = [];
afterEach(() => {
  for (const replica of open.splice(0)) replica.store.close();
});

const change = (itemId: string, name: string, deleted = false): ItemRecord => ({ itemId, name, created: { key: 1, tick: 1 }, version: { key: 1, tick: 2 }, deleted, units: [] });

describe('orderForNames', () => {
  it('lets a change wait for the later change that frees its name, along chains', () => {
    const holders = new Map([['x', 'b'], ['y', 'c'], ['p', 'q'], ['q', 'p']]);
    const holderOf = (name: string) => holders.get(name);
    const ids = (list: readonly ItemRecord[]) => list.map((item) => item.itemId);
    // a wants x (held by b), b wants y (held by c), c moves to z: c, then b, then a.
    expect(ids(orderForNames([change('a', 'x'), change('b', 'y'), change('c', 'z')], holderOf))).toEqual(['c', 'b', 'a']);
    expect(ids(orderForNames([change('a', 'x'), change('b', 'gone', true)], holderOf))).toEqual(['b', 'a']);
    expect(ids(orderForNames([change('p', 'q'), change('q', 'p')], (name) => (name === 'q' ? 'q' : 'p')))).toEqual(['q', 'p']); // a swap
    const untouched = [change('a', 'free'), change('b', 'also free')];
    expect(orderForNames(untouched, holderOf)).toBe(untouched);
  });
});

describe('collisions resolved on one side are not met again on the other', () => {
  it.each([0, 1])('both replicas created "x": renamed once, the same on both sides (local replica r%i)', async (first) => {
    const dir = tempDir();
    const replicas = [openMemoryReplica(dir, 0), openMemoryReplica(dir, 1)];
    open.push(...replicas);
    const [a, b] = first === 0 ? replicas : [...replicas].reverse();
    if (!a || !b) throw new Error('setup');
    a.data.set('x', { v: 'from a' });
    b.data.set('x', { v: 'from b' });
    const result = await synchronize(a.provider, b.provider, { direction: 'twoWay', collisionPolicy: 'renameSource' });
    expect(result.conflicts).toHaveLength(1);
    expect(Object.keys(a.data.snapshot())).toEqual(['x', 'x (2)']);
    expect(b.data.snapshot()).toEqual(a.data.snapshot());
  });

  it.each([0, 1])('both replicas created the same "x": merged once; a later delete reaches both (local replica r%i)', async (first) => {
    const dir = tempDir();
    const replicas = [openMemoryReplica(dir, 0), openMemoryReplica(dir, 1)];
    open.push(...replicas);
    const [a, b] = first === 0 ? replicas : [...replicas].reverse();
    if (!a || !b) throw new Error('setup');
    a.data.set('x', { v: 'same' });
    b.data.set('x', { v: 'same' });
    await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect([a.store.liveItems().length, b.store.liveItems().length]).toEqual([1, 1]);
    b.data.delete('x');
    await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect([a.data.snapshot(), b.data.snapshot()]).toEqual([{}, {}]);
  });
});
