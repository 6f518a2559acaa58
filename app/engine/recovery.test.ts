/**
 * Tombstone purge followed by recovery: a replica that missed deletions the source has since forgotten must take
 * the recovery path (full enumeration), and no deletion may ever come back.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { RecoveryRequiredError } from './errors.ts';
import { synchronize } from './syncOrchestrator.ts';
import { openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';

fc.configureGlobal({ seed: 20_240_601 });

const open: TestReplica[] = [];
afterEach(() => {
  for (const replica of open.splice(0)) replica.store.close();
});

function three(): [TestReplica, TestReplica, TestReplica] {
  const dir = tempDir();
  const replicas: [TestReplica, TestReplica, TestReplica] = [openMemoryReplica(dir, 0, 4), openMemoryReplica(dir, 1, 4), openMemoryReplica(dir, 2, 4)];
  open.push(...replicas);
  return replicas;
}

const recover = { onRecoveryRequired: () => 'fullEnumeration' as const };

describe('tombstone purge and recovery', () => {
  it('a stale replica without a recovery callback gets RECOVERY_REQUIRED', async () => {
    const [a, b, c] = three();
    a.data.set('x', { v: '1' });
    await synchronize(a.provider, c.provider, { direction: 'upload' });
    a.data.delete('x');
    a.data.set('y', { v: '2' });
    await synchronize(a.provider, b.provider, { direction: 'upload' });
    expect(a.store.purgeTombstones(() => true)).toBe(1);
    await expect(synchronize(a.provider, c.provider, { direction: 'upload' })).rejects.toBeInstanceOf(RecoveryRequiredError);
    const recovered = await synchronize(a.provider, c.provider, { direction: 'upload', callbacks: recover });
    expect(recovered.recoveries).toEqual(['upload']);
    expect(c.data.snapshot()).toEqual({ y: { v: '2' } });
  });

  it('never resurrects a deletion, over 100 randomized runs', async () => {
    const scenario = fc.record({
      items: fc.integer({ min: 1, max: 12 }),
      deleted: fc.array(fc.nat(11), { maxLength: 8 }),
      editedByC: fc.array(fc.nat(11), { maxLength: 4 }),
      createdByC: fc.nat(3),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ items, deleted, editedByC, createdByC }) => {
        const [a, b, c] = three();
        for (let i = 0; i < items; i++) a.data.set(`i${i}`, { v: `${i}` });
        await synchronize(a.provider, b.provider, { direction: 'twoWay' });
        await synchronize(a.provider, c.provider, { direction: 'twoWay' });
        const gone = new Set(deleted.filter((i) => i < items).map((i) => `i${i}`));
        for (const name of gone) a.data.delete(name);
        await synchronize(a.provider, b.provider, { direction: 'twoWay' });
        a.store.purgeTombstones(() => true);
        b.store.purgeTombstones(() => true);
        for (const i of editedByC) if (i < items && !gone.has(`i${i}`)) c.data.set(`i${i}`, { v: `c${i}` });
        for (let i = 0; i < createdByC; i++) c.data.set(`c${i}`, { v: 'new' });
        const result = await synchronize(a.provider, c.provider, { direction: 'twoWay', callbacks: recover });
        expect(result.recoveries).toEqual(gone.size > 0 ? ['upload'] : []);
        await synchronize(b.provider, c.provider, { direction: 'twoWay', callbacks: recover });
        await synchronize(a.provider, b.provider, { direction: 'twoWay', callbacks: recover });
        for (const replica of [a, b, c]) {
          for (const name of gone) expect(replica.data.items.has(name), `${name} came back on ${replica.name}`).toBe(false);
          expect(replica.data.snapshot()).toEqual(a.data.snapshot());
        }
        for (let i = 0; i < createdByC; i++) expect(a.data.items.has(`c${i}`)).toBe(true);
        for (const replica of open.splice(0)) replica.store.close();
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
