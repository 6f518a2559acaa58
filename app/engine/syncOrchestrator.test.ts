import { afterEach, describe, expect, it } from 'vitest';
import { synchronize } from './syncOrchestrator.ts';
import { openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';

const open: TestReplica[] = [];
afterEach(() => {
  for (const replica of open.splice(0)) replica.store.close();
});

function replicas(count: number, batchSize = 1000): TestReplica[] {
  const dir = tempDir();
  const out = Array.from({ length: count }, (_, index) => openMemoryReplica(dir, index, batchSize));
  open.push(...out);
  return out;
}

describe('synchronize', () => {
  it('copies items both ways and a resync sends nothing', async () => {
    const [a, b] = replicas(2, 3);
    if (!a || !b) throw new Error('setup');
    for (let i = 0; i < 10; i++) a.data.set(`a${i}`, { title: `A${i}`, body: 'x' });
    b.data.set('b0', { title: 'B0' });
    const first = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(first.status).toBe('succeeded');
    expect(first.upload?.created).toBe(10);
    expect(first.download?.created).toBe(1);
    expect(a.data.snapshot()).toEqual(b.data.snapshot());
    const again = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(again.upload?.received).toBe(0);
    expect(again.download?.received).toBe(0);
  });

  it('merges edits of different units without a conflict and reports concurrent edits of one unit', async () => {
    const [a, b] = replicas(2);
    if (!a || !b) throw new Error('setup');
    a.data.set('x', { title: 't', body: 'b' });
    await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    a.data.set('x', { title: 't-a' });
    b.data.set('x', { body: 'b-b' });
    const merged = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(merged.conflicts).toEqual([]);
    expect(a.data.snapshot()).toEqual({ x: { body: 'b-b', title: 't-a' } });
    expect(b.data.snapshot()).toEqual(a.data.snapshot());
    a.data.set('x', { title: 'A' });
    b.data.set('x', { title: 'B' });
    const conflicted = await synchronize(a.provider, b.provider, { direction: 'twoWay', conflictPolicy: 'sourceWins' });
    expect(conflicted.conflicts.map((report) => report.conflict.kind)).toEqual(['updateUpdate']);
    expect(a.data.snapshot()).toEqual(b.data.snapshot());
    expect(a.data.snapshot().x?.title).toBe('A');
  });
});
