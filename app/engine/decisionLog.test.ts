import { afterEach, describe, expect, it } from 'vitest';
import type { ItemRecord } from './changeBatch.ts';
import { DecisionLog } from './decisionLog.ts';
import { emptyStatistics } from './provider.ts';
import { synchronize } from './syncOrchestrator.ts';
import { openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';

const open: TestReplica[] = [];
afterEach(() => {
  for (const replica of open.splice(0)) replica.store.close();
});

function pair(batchSize = 1000): [TestReplica, TestReplica] {
  const dir = tempDir();
  const a = openMemoryReplica(dir, 0, batchSize);
  const b = openMemoryReplica(dir, 1, batchSize);
  open.push(a, b);
  return [a, b];
}

/** The item id `replica` holds under `name` (live). */
function idOf(replica: TestReplica, name: string): string {
  const record = replica.store.findLiveItemByName(name);
  if (!record) throw new Error(`no item ${name}`);
  return record.itemId;
}

/** True when `destination` knows the current version of `name` as `source` holds it. */
function knows(destination: TestReplica, source: TestReplica, name: string): boolean {
  const record = source.store.findLiveItemByName(name);
  if (!record) throw new Error(`no item ${name}`);
  const tick = Math.max(record.version.tick, ...record.units.map((unit) => unit.version.tick));
  return destination.store.knowledge().containsChange(source.store.replicaId, record.itemId, tick);
}

describe('per-item write failures', () => {
  it('commits the rest of the batch, never marks the failed item known, and retries it next session', async () => {
    const [a, b] = pair(2);
    for (let i = 0; i < 5; i++) a.data.set(`x${i}`, { body: `v${i}` });
    const refusal = new Error('permission denied');
    b.data.refused.set('x2', refusal);
    const reported: unknown[] = [];
    const first = await synchronize(a.provider, b.provider, { direction: 'upload', callbacks: { onWriteFailed: (failure) => reported.push(failure) } });
    expect(first.status).toBe('succeeded');
    expect(first.failures).toEqual([{ itemId: idOf(a, 'x2'), error: refusal }]);
    expect(reported).toEqual(first.failures);
    expect(first.upload).toMatchObject({ received: 5, applied: 4, created: 4, failed: 1 });
    expect(Object.keys(b.data.snapshot())).toEqual(['x0', 'x1', 'x3', 'x4']);
    expect(b.store.getItem(idOf(a, 'x2'))).toBeUndefined();
    expect(knows(b, a, 'x2')).toBe(false);
    expect(['x0', 'x1', 'x3', 'x4'].every((name) => knows(b, a, name))).toBe(true);

    const again = await synchronize(a.provider, b.provider, { direction: 'upload' });
    expect(again.upload).toMatchObject({ received: 1, applied: 0, failed: 1 });
    expect(knows(b, a, 'x2')).toBe(false);

    b.data.refused.clear();
    const fixed = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(fixed.failures).toEqual([]);
    expect(fixed.upload).toMatchObject({ received: 1, created: 1, failed: 0 });
    expect(fixed.conflicts).toEqual([]);
    expect(b.data.snapshot()).toEqual(a.data.snapshot());
    expect(knows(b, a, 'x2')).toBe(true);
    const quiet = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect([quiet.upload?.received, quiet.download?.received]).toEqual([0, 0]);
  });

  it('keeps the old value of a failed update, with no false conflict once the cause is gone', async () => {
    const [a, b] = pair();
    a.data.set('doc', { title: 'T', body: 'v1' });
    a.data.set('other', { body: 'o1' });
    await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    a.data.set('doc', { body: 'v2' });
    a.data.set('other', { body: 'o2' });
    b.data.refused.set('doc', new Error('locked'));
    const failed = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(failed.failures.map((failure) => failure.itemId)).toEqual([idOf(a, 'doc')]);
    expect(b.data.snapshot()).toEqual({ doc: { body: 'v1', title: 'T' }, other: { body: 'o2' } });
    // b's record still holds the old version, which a knows: nothing flows back, a keeps its edit.
    expect(a.data.snapshot().doc).toEqual({ body: 'v2', title: 'T' });
    b.data.refused.clear();
    const fixed = await synchronize(a.provider, b.provider, { direction: 'twoWay' });
    expect(fixed.conflicts).toEqual([]);
    expect(b.data.snapshot()).toEqual(a.data.snapshot());
  });

  it('withdraws a whole collision when one of its writes fails, and resolves it again next time', async () => {
    const [a, b] = pair();
    a.data.set('x', { body: 'from a' });
    b.data.set('x', { body: 'from b' });
    b.data.refused.set('x (2)', new Error('read-only'));
    const failed = await synchronize(a.provider, b.provider, { direction: 'upload', collisionPolicy: 'renameDestination' });
    expect(failed.upload).toMatchObject({ failed: 1, applied: 0, created: 0, updated: 0 });
    expect(b.data.snapshot()).toEqual({ x: { body: 'from b' } });
    expect(b.store.liveItems().map((record) => record.name)).toEqual(['x']);
    expect(knows(b, a, 'x')).toBe(false);
    b.data.refused.clear();
    await synchronize(a.provider, b.provider, { direction: 'twoWay', collisionPolicy: 'renameDestination' });
    expect(b.data.snapshot()).toEqual({ x: { body: 'from a' }, 'x (2)': { body: 'from b' } });
    expect(a.data.snapshot()).toEqual(b.data.snapshot());
  });
});

describe('DecisionLog.withdraw', () => {
  const record = (itemId: string): ItemRecord => ({ itemId, name: itemId, created: { key: 0, tick: 1 }, version: { key: 0, tick: 1 }, deleted: false, units: [] });
  const write = (itemId: string) => ({ itemId });

  it('takes back every decision sharing an item with a failed one, and corrects the statistics', () => {
    const log = new DecisionLog();
    const batch = { records: [] as ItemRecord[], removals: [] as string[], writes: [] as { itemId: string }[], excluded: ['skipped'] };
    const decide = (change: string, items: readonly string[], outcome: 'created' | 'updated') => {
      log.begin(change);
      for (const itemId of items) {
        batch.writes.push(write(itemId));
        log.noteWrite();
        batch.records.push(record(itemId));
        log.noteRecord(outcome);
      }
    };
    decide('incoming', ['holder', 'incoming'], 'updated'); // a collision: the holder renamed, the incoming saved
    decide('later', ['holder'], 'updated'); // a later change building on the renamed holder
    decide('unrelated', ['unrelated'], 'created');
    log.begin('gone');
    batch.removals.push('gone');
    log.noteRemoval();
    const statistics = { ...emptyStatistics(), applied: 6, updated: 3, created: 1, deleted: 1 };
    const taken = log.withdraw(batch, ['holder'], statistics);
    expect(taken.changes).toBe(2);
    expect([...taken.items].sort()).toEqual(['holder', 'incoming', 'later']);
    expect(taken.writes.map((entry) => entry.itemId)).toEqual(['holder', 'incoming', 'holder']);
    expect(batch.records.map((entry) => entry.itemId)).toEqual(['unrelated']);
    expect(batch.removals).toEqual(['gone']);
    expect(batch.excluded.sort()).toEqual(['holder', 'incoming', 'later', 'skipped']);
    expect(statistics).toMatchObject({ applied: 3, updated: 0, created: 1, deleted: 1, failed: 2 });
  });

  it('corrects the statistics by what a record counts as after a relabel', () => {
    const log = new DecisionLog();
    const batch = { records: [] as ItemRecord[], removals: [] as string[], writes: [] as { itemId: string }[], excluded: [] as string[] };
    log.begin('twin');
    batch.records.push(record('twin'));
    log.noteRecord('deleted');
    log.relabel(0, 'unchanged'); // it turned out to be one half of two identical items merged
    const statistics = { ...emptyStatistics(), unchanged: 1 };
    log.withdraw(batch, ['twin'], statistics);
    expect(statistics).toMatchObject({ unchanged: 0, deleted: 0, applied: 0, failed: 1 });
  });

  it('takes back a decision that took a name a withdrawn one freed, so no two items hold one name', () => {
    const log = new DecisionLog();
    const batch = { records: [] as ItemRecord[], removals: [] as string[], writes: [] as { itemId: string }[], excluded: [] as string[] };
    const decide = (itemId: string, names: { freed?: string; taken?: string }) => {
      log.begin(itemId);
      batch.writes.push(write(itemId));
      log.noteWrite();
      batch.records.push(record(itemId));
      log.noteRecord('updated', names);
    };
    decide('moved', { freed: 'sub/e.txt', taken: 'moved/e.txt' }); // renamed away (its write will fail)
    decide('renamed', { freed: 'a.txt', taken: 'sub/e.txt' }); // takes the freed name
    decide('chained', { freed: 'b.txt', taken: 'a.txt' }); // takes the name the second one freed
    decide('edited', { freed: 'c.txt', taken: 'c.txt' }); // keeps its own name
    decide('other', { freed: 'd.txt', taken: 'e.txt' });
    const statistics = { ...emptyStatistics(), applied: 5, updated: 5 };
    const taken = log.withdraw(batch, ['moved'], statistics);
    expect(taken.changes).toBe(3);
    expect([...taken.items].sort()).toEqual(['chained', 'moved', 'renamed']);
    expect(batch.records.map((entry) => entry.itemId)).toEqual(['edited', 'other']);
    expect(statistics).toMatchObject({ applied: 2, updated: 2, failed: 3 });
    // Without names (a caller that does not say) nothing more is withdrawn than the items share.
    const plain = new DecisionLog();
    const alone = { records: [record('moved'), record('renamed')], removals: [] as string[], writes: [] as { itemId: string }[], excluded: [] as string[] };
    for (const itemId of ['moved', 'renamed']) {
      plain.begin(itemId);
      plain.noteRecord('updated');
    }
    expect(plain.withdraw(alone, ['moved'], { ...emptyStatistics(), applied: 2, updated: 2 }).items).toEqual(['moved']);
  });
});
