/**
 * Property: replicas editing concurrently and syncing pairwise in any topology converge, every concurrent edit
 * is surfaced as a conflict (none silently lost), and causally ordered edits never raise one.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConflictReport } from './provider.ts';
import { synchronize } from './syncOrchestrator.ts';
import { openMemoryReplica, tempDir, type TestReplica } from './testSupport.ts';

type Op =
  | { kind: 'create'; replica: number }
  | { kind: 'update'; replica: number; item: number; unit: 'u1' | 'u2' }
  | { kind: 'delete'; replica: number; item: number }
  | { kind: 'sync'; a: number; b: number; policy: 'sourceWins' | 'destinationWins' };

const opArb = (replicas: number): fc.Arbitrary<Op> => {
  const replica = fc.nat(replicas - 1);
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('create' as const), replica }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('update' as const), replica, item: fc.nat(20), unit: fc.constantFrom('u1' as const, 'u2' as const) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), replica, item: fc.nat(20) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), a: replica, b: replica, policy: fc.constantFrom('sourceWins' as const, 'destinationWins' as const) }) },
  );
};

/** Causal history of edits: each value names the values it was based on. */
class History {
  private readonly basedOn = new Map<string, string[]>();
  private next = 0;
  edit(previous: Array<string | undefined>): string {
    const value = `e${++this.next}`;
    this.basedOn.set(value, previous.filter((v): v is string => v !== undefined));
    return value;
  }
  ancestors(value: string): Set<string> {
    const out = new Set<string>();
    const stack = [value];
    while (stack.length > 0) {
      const current = stack.pop() ?? '';
      if (out.has(current)) continue;
      out.add(current);
      stack.push(...(this.basedOn.get(current) ?? []));
    }
    return out;
  }
}

fc.configureGlobal({ seed: 20_240_601 });

const open: TestReplica[] = [];
afterEach(() => {
  for (const replica of open.splice(0)) replica.store.close();
});

async function run(count: number, ops: readonly Op[]): Promise<void> {
  const dir = tempDir();
  const replicas = Array.from({ length: count }, (_, index) => openMemoryReplica(dir, index, 2));
  open.push(...replicas);
  const history = new History();
  const edits: Array<{ name: string; unit: string; value: string }> = [];
  const deletes: Array<{ name: string; basedOn: string }> = [];
  const reports: Array<ConflictReport<string>> = [];
  let created = 0;
  const itemNames = (replica: TestReplica): string[] => [...replica.data.items.keys()].sort();
  for (const op of ops) {
    if (op.kind === 'create') {
      const name = `n${++created}`;
      const units = { u1: history.edit([]), u2: history.edit([]) };
      replicas[op.replica]?.data.set(name, units);
      edits.push({ name, unit: 'u1', value: units.u1 }, { name, unit: 'u2', value: units.u2 });
    } else if (op.kind === 'update' || op.kind === 'delete') {
      const replica = replicas[op.replica];
      const names = replica ? itemNames(replica) : [];
      const name = names[op.item % Math.max(1, names.length)];
      if (!replica || name === undefined) continue;
      const item = replica.data.items.get(name);
      if (op.kind === 'update') {
        const value = history.edit([item?.get(op.unit)]);
        replica.data.set(name, { [op.unit]: value });
        edits.push({ name, unit: op.unit, value });
      } else {
        deletes.push({ name, basedOn: history.edit([...(item?.values() ?? [])]) });
        replica.data.delete(name);
      }
    } else if (op.a !== op.b) {
      const [a, b] = [replicas[op.a], replicas[op.b]];
      if (!a || !b) continue;
      const result = await synchronize(a.provider, b.provider, { direction: 'twoWay', conflictPolicy: op.policy, collisionPolicy: 'renameSource' });
      reports.push(...result.conflicts);
    }
  }
  for (let round = 0; round < 2 * count; round++) {
    let received = 0;
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        const [ra, rb] = [replicas[a], replicas[b]];
        if (!ra || !rb) continue;
        const result = await synchronize(ra.provider, rb.provider, { direction: 'twoWay', conflictPolicy: 'sourceWins' });
        reports.push(...result.conflicts);
        received += (result.upload?.applied ?? 0) + (result.download?.applied ?? 0);
      }
    }
    if (received === 0 && round > 0) break;
  }
  const final = replicas[0]?.data.snapshot() ?? {};
  for (const replica of replicas) expect(replica.data.snapshot()).toEqual(final);

  // An edit superseded by a later edit of its own lineage is fine when that later value was surfaced.
  const reported = new Set<string>();
  for (const report of reports) for (const side of [report.conflict.local, report.conflict.remote]) for (const value of side?.units.values() ?? []) for (const ancestor of history.ancestors(value)) reported.add(ancestor);
  // A surfaced delete conflict surfaces the deletion, and with it the edits that deletion had superseded.
  for (const report of reports) {
    if (report.conflict.kind !== 'updateDelete' && report.conflict.kind !== 'deleteUpdate') continue;
    const name = report.conflict.local?.name ?? report.conflict.remote?.name;
    for (const deletion of deletes) if (deletion.name === name) for (const ancestor of history.ancestors(deletion.basedOn)) reported.add(ancestor);
  }
  for (const edit of edits) {
    const value = final[edit.name]?.[edit.unit];
    const supersededBy = value !== undefined ? history.ancestors(value) : new Set(deletes.filter((d) => d.name === edit.name).flatMap((d) => [...history.ancestors(d.basedOn)]));
    if (!supersededBy.has(edit.value)) expect(reported, `edit ${edit.value} of ${edit.name}.${edit.unit} was lost silently`).toContain(edit.value);
  }
  for (const report of reports) {
    if (report.conflict.kind !== 'updateUpdate') continue;
    for (const unit of report.conflict.conflictingUnits) {
      const local = report.conflict.local?.units.get(unit);
      const remote = report.conflict.remote?.units.get(unit);
      if (local === undefined || remote === undefined) continue;
      expect(history.ancestors(local).has(remote), `${remote} precedes ${local}, yet raised a conflict`).toBe(false);
      expect(history.ancestors(remote).has(local), `${local} precedes ${remote}, yet raised a conflict`).toBe(false);
    }
  }
}

describe('convergence of several replicas', () => {
  it('converges, surfaces every concurrent edit, and raises no conflict for causal edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 5 }).chain((count) => fc.tuple(fc.constant(count), fc.array(opArb(count), { minLength: 5, maxLength: 30 }))), async ([count, ops]) => {
        await run(count, ops);
        for (const replica of open.splice(0)) replica.store.close();
      }),
      { numRuns: Number(process.env.CONVERGENCE_RUNS ?? 60) },
    );
  }, 120_000);

  it('never raises a conflict when edits are causally ordered', async () => {
    const dir = tempDir();
    const replicas = [0, 1, 2].map((index) => openMemoryReplica(dir, index));
    open.push(...replicas);
    const [a, b, c] = replicas;
    if (!a || !b || !c) throw new Error('setup');
    a.data.set('x', { u1: '1' });
    const conflicts: unknown[] = [];
    const hop = async (from: TestReplica, to: TestReplica): Promise<void> => {
      conflicts.push(...(await synchronize(from.provider, to.provider, { direction: 'upload' })).conflicts);
    };
    await hop(a, b);
    b.data.set('x', { u1: '2' });
    await hop(b, c);
    c.data.set('x', { u1: '3' });
    await hop(c, a);
    a.data.set('x', { u1: '4' });
    await hop(a, b);
    await hop(b, c);
    expect(conflicts).toEqual([]);
    for (const replica of replicas) expect(replica.data.snapshot()).toEqual({ x: { u1: '4' } });
  });
});
