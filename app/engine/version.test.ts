import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

fc.configureGlobal({ seed: 20_240_601 });
import { Knowledge } from './knowledge.ts';
import { compareVersions, conflictOrder, invertComparison, type GlobalVersion, type VersionComparison } from './version.ts';
import { guidFrom } from './testSupport.ts';

const A = guidFrom(1);
const B = guidFrom(2);
const knows = (owner: string, ...changes: GlobalVersion[]): Knowledge =>
  changes.reduce((k, change) => k.union(Knowledge.empty(change.replica).withTick(0, change.tick)), Knowledge.empty(owner));

describe('version comparison', () => {
  const cases: Array<[string, GlobalVersion, Knowledge, GlobalVersion, Knowledge, VersionComparison]> = [
    ['same version', { replica: A, tick: 3 }, knows(A, { replica: A, tick: 3 }), { replica: A, tick: 3 }, knows(B, { replica: A, tick: 3 }), 'equal'],
    ['a supersedes b', { replica: A, tick: 4 }, knows(A, { replica: A, tick: 4 }, { replica: B, tick: 2 }), { replica: B, tick: 2 }, knows(B, { replica: B, tick: 2 }), 'greater'],
    ['concurrent, a has the higher tick', { replica: A, tick: 5 }, knows(A, { replica: A, tick: 5 }), { replica: B, tick: 2 }, knows(B, { replica: B, tick: 2 }), 'concurrentGreater'],
    ['concurrent, equal ticks, a has the greater replica id', { replica: B, tick: 2 }, knows(B, { replica: B, tick: 2 }), { replica: A, tick: 2 }, knows(A, { replica: A, tick: 2 }), 'concurrentGreater'],
  ];

  for (const [name, va, ka, vb, kb, expected] of cases) {
    it(`${name}: both directions`, () => {
      expect(compareVersions('x', { version: va, knowledge: ka }, { version: vb, knowledge: kb })).toBe(expected);
      expect(compareVersions('x', { version: vb, knowledge: kb }, { version: va, knowledge: ka })).toBe(invertComparison(expected));
    });
  }

  it('inverts every comparison', () => {
    const all: VersionComparison[] = ['equal', 'greater', 'lesser', 'concurrentGreater', 'concurrentLesser'];
    for (const comparison of all) expect(invertComparison(invertComparison(comparison))).toBe(comparison);
    expect(invertComparison('greater')).toBe('lesser');
    expect(invertComparison('concurrentGreater')).toBe('concurrentLesser');
  });

  it('conflict order is a total order, asserted in both directions of every pair', () => {
    const version = fc.record({ replica: fc.constantFrom(A, B, guidFrom(3)), tick: fc.integer({ min: 1, max: 4 }) });
    fc.assert(fc.property(version, version, version, (x, y, z) => {
      expect(Math.sign(conflictOrder(x, y)) + Math.sign(conflictOrder(y, x))).toBe(0);
      expect(conflictOrder(x, y) === 0).toBe(x.replica === y.replica && x.tick === y.tick);
      if (conflictOrder(x, y) > 0 && conflictOrder(y, z) > 0) expect(conflictOrder(x, z)).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it('random pairs compare inversely', () => {
    const version = fc.record({ replica: fc.constantFrom(A, B), tick: fc.integer({ min: 1, max: 4 }) });
    fc.assert(fc.property(version, fc.nat(4), fc.nat(4), version, fc.nat(4), fc.nat(4), (va, a1, a2, vb, b1, b2) => {
      const ka = knows(A, va, { replica: A, tick: a1 }, { replica: B, tick: a2 });
      const kb = knows(B, vb, { replica: A, tick: b1 }, { replica: B, tick: b2 });
      const forward = compareVersions('x', { version: va, knowledge: ka }, { version: vb, knowledge: kb });
      const backward = compareVersions('x', { version: vb, knowledge: kb }, { version: va, knowledge: ka });
      expect(backward).toBe(invertComparison(forward));
    }), { numRuns: 300 });
  });
});
