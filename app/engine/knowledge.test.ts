import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

fc.configureGlobal({ seed: 20_240_601 });
import { Knowledge, type ItemException, type RangeException } from './knowledge.ts';
import { decodeKnowledge, encodeKnowledge, knowledgeFromBase64, knowledgeToBase64 } from './knowledgeCodec.ts';
import { KnowledgeFormatError } from './errors.ts';
import { guidFrom } from './testSupport.ts';

const REPLICAS = [1, 2, 3, 4].map(guidFrom);
const IDS = ['', 'a', 'ab', 'b', 'c', 'ca', 'd', 'e', 'f', 'zz'];

const vectorArb = fc.array(fc.nat({ max: 6 }), { maxLength: 4 });
const idArb = fc.constantFrom(...IDS.slice(1));

/** Random knowledge over a random permutation of the replica pool. */
const knowledgeArb = fc
  .record({
    order: fc.shuffledSubarray(REPLICAS, { minLength: 1 }),
    base: vectorArb,
    cuts: fc.uniqueArray(idArb, { maxLength: 4 }),
    rangeVectors: fc.array(fc.option(vectorArb, { nil: null }), { minLength: 5, maxLength: 5 }),
    items: fc.uniqueArray(fc.record({ itemId: idArb, vector: vectorArb }), { selector: (item) => item.itemId, maxLength: 4 }),
  })
  .map(({ order, base, cuts, rangeVectors, items }) => {
    const fit = (vector: number[]): number[] => vector.slice(0, order.length);
    const points = [...cuts].sort();
    const ranges: RangeException[] = [];
    points.forEach((from, index) => {
      const vector = rangeVectors[index];
      if (vector) ranges.push({ from, to: points[index + 1] ?? null, vector: fit(vector) });
    });
    const sortedItems: ItemException[] = [...items].sort((x, y) => (x.itemId < y.itemId ? -1 : 1)).map((item) => ({ itemId: item.itemId, vector: fit(item.vector) }));
    return Knowledge.of(order, fit(base), ranges, sortedItems);
  });

/** The knowledge function evaluated on every test id and replica, by replica id: independent of `contains`. */
function table(knowledge: Knowledge): string {
  const probes = [...IDS, 'aa', 'bz', 'cb', 'zzz'];
  return probes.map((id) => REPLICAS.map((replica) => {
    const key = knowledge.keyOf(replica);
    return key === undefined ? 0 : (knowledge.vectorFor(id)[key] ?? 0);
  }).join(',')).join(';');
}

describe('Knowledge laws', () => {
  it('union is commutative, associative and idempotent', () => {
    fc.assert(fc.property(knowledgeArb, knowledgeArb, knowledgeArb, (a, b, c) => {
      expect(table(a.union(b))).toBe(table(b.union(a)));
      expect(table(a.union(b).union(c))).toBe(table(a.union(b.union(c))));
      expect(table(a.union(a))).toBe(table(a));
      expect(a.union(b).equals(b.union(a))).toBe(true);
      expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
      expect(a.union(a).equals(a)).toBe(true);
    }), { numRuns: 300 });
  });

  it('containsChange is monotone under union', () => {
    fc.assert(fc.property(knowledgeArb, knowledgeArb, fc.constantFrom(...REPLICAS), idArb, fc.nat({ max: 7 }), (a, b, replica, itemId, tick) => {
      if (a.containsChange(replica, itemId, tick)) {
        expect(a.union(b).containsChange(replica, itemId, tick)).toBe(true);
        expect(b.union(a).containsChange(replica, itemId, tick)).toBe(true);
      }
      expect(a.union(b).contains(a)).toBe(true);
      expect(a.union(b).contains(b)).toBe(true);
    }), { numRuns: 300 });
  });

  it('mapRemoteToLocal round-trips and keeps the local key map as a prefix', () => {
    fc.assert(fc.property(knowledgeArb, knowledgeArb, (local, remote) => {
      const mapped = local.mapRemoteToLocal(remote);
      expect(mapped.keyMap.slice(0, local.keyMap.length)).toEqual(local.keyMap);
      expect(table(mapped)).toBe(table(remote));
      const back = remote.mapRemoteToLocal(mapped);
      expect(back.keyMap.slice(0, remote.keyMap.length)).toEqual(remote.keyMap);
      expect(table(back)).toBe(table(remote));
      expect(back.equals(remote)).toBe(true);
    }), { numRuns: 300 });
  });

  it('contains agrees with the pointwise order', () => {
    fc.assert(fc.property(knowledgeArb, knowledgeArb, (a, b) => {
      const pointwise = table(a.union(b)) === table(a);
      expect(a.contains(b)).toBe(pointwise);
    }), { numRuns: 300 });
  });

  it('serializes compactly and round-trips', () => {
    fc.assert(fc.property(knowledgeArb, (a) => {
      const bytes = encodeKnowledge(a);
      const back = decodeKnowledge(bytes);
      expect(table(back)).toBe(table(a));
      expect(back.keyMap).toEqual(a.keyMap);
      expect(knowledgeFromBase64(knowledgeToBase64(a)).equals(a)).toBe(true);
    }), { numRuns: 200 });
    const small = Knowledge.empty(REPLICAS[0] ?? '').withTick(0, 1_000_000);
    expect(encodeKnowledge(small).length).toBeLessThan(30);
  });

  it('refuses malformed serialized knowledge', () => {
    expect(() => decodeKnowledge(new Uint8Array([9]))).toThrow(KnowledgeFormatError);
    expect(() => decodeKnowledge(new Uint8Array([1, 1, 2]))).toThrow(/unexpected end/);
    const good = encodeKnowledge(Knowledge.empty(REPLICAS[0] ?? ''));
    expect(() => decodeKnowledge(new Uint8Array([...good, 0]))).toThrow(/trailing/);
  });
});

describe('Knowledge projections', () => {
  const owner = REPLICAS[0] ?? '';
  const k = Knowledge.empty(owner).withTick(0, 5);

  it('projectOntoItem knows one item only', () => {
    const item = k.projectOntoItem('b');
    expect(item.containsChange(owner, 'b', 5)).toBe(true);
    expect(item.containsChange(owner, 'c', 1)).toBe(false);
  });

  it('projectOntoRange knows a half-open range only, and adjacent projections merge back', () => {
    const left = k.projectOntoRange('', 'c');
    const right = k.projectOntoRange('c', null);
    expect(left.containsChange(owner, 'b', 5)).toBe(true);
    expect(left.containsChange(owner, 'c', 1)).toBe(false);
    expect(right.containsChange(owner, 'c', 5)).toBe(true);
    const whole = left.union(right);
    expect(whole.equals(k)).toBe(true);
    expect(whole.ranges).toEqual([]);
  });

  it('excludeItem forgets one item and union cannot bring it back from the excluded side', () => {
    const excluded = k.excludeItem('b');
    expect(excluded.containsChange(owner, 'b', 1)).toBe(false);
    expect(excluded.containsChange(owner, 'a', 5)).toBe(true);
    const other = REPLICAS[1] ?? '';
    const mine = Knowledge.empty(other).withTick(0, 3);
    expect(mine.union(excluded).containsChange(owner, 'b', 1)).toBe(false);
    expect(mine.union(excluded).containsChange(other, 'b', 3)).toBe(true);
  });

  it('excludeItems forgets every listed item, as excludeItem one by one does', () => {
    fc.assert(
      fc.property(knowledgeArb, fc.uniqueArray(idArb, { maxLength: 5 }), (value, ids) => {
        const together = value.excludeItems(ids);
        expect(together.equals(ids.reduce((acc, id) => acc.excludeItem(id), value))).toBe(true);
        for (const id of ids) expect(together.vectorFor(id)).toEqual([]);
      }),
    );
  });

  it('an unknown replica is never known', () => {
    expect(k.containsChange(REPLICAS[3] ?? '', 'a', 1)).toBe(false);
    expect(k.containsChange(REPLICAS[3] ?? '', 'a', 0)).toBe(true);
  });
});
