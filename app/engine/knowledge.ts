/**
 * Knowledge: what changes a replica knows about, as an immutable value. Semantically it is a function from item
 * id to clock vector; it is stored as a base vector, range exceptions (half-open `[from, to)` item-id ranges
 * whose vector replaces the base) and single-item exceptions (whose vector replaces the range layer). Values are
 * kept normalized (no exception equal to what it overrides, adjacent equal ranges merged) so they stay small.
 *
 * Vectors are keyed by replica *keys*, indexes into `keyMap`. `keyMap[0]` is the owner replica. Operations on two
 * values first express the other value in this value's key map (`mapRemoteToLocal`), extending it by appending,
 * so an existing key never changes meaning: versions stored under a key stay valid as knowledge grows.
 */
import { EMPTY_VECTOR, maxVector, remapVector, tickOf, trimVector, vectorEquals, vectorLeq, type ClockVector } from './clockVector.ts';
import type { ItemId, ReplicaId } from './ids.ts';

/** Items in `[from, to)` (to `null` = unbounded) are known up to `vector` instead of the base. */
export interface RangeException {
  readonly from: ItemId;
  readonly to: ItemId | null;
  readonly vector: ClockVector;
}

/** One item is known up to `vector`, overriding base and ranges. */
export interface ItemException {
  readonly itemId: ItemId;
  readonly vector: ClockVector;
}

/** Immutable knowledge value; see the module comment. */
export class Knowledge {
  readonly keyMap: readonly ReplicaId[];
  readonly base: ClockVector;
  readonly ranges: readonly RangeException[];
  readonly items: readonly ItemException[];

  private constructor(keyMap: readonly ReplicaId[], base: ClockVector, ranges: readonly RangeException[], items: readonly ItemException[]) {
    this.keyMap = keyMap;
    this.base = base;
    this.ranges = ranges;
    this.items = items;
    Object.freeze(this);
  }

  /** Knowledge of a replica that knows nothing yet (its own key is 0). */
  static empty(owner: ReplicaId): Knowledge {
    return new Knowledge(Object.freeze([owner]), EMPTY_VECTOR, [], []);
  }

  /** Builds and normalizes a value; ranges must be sorted and disjoint, items sorted and unique. */
  static of(keyMap: readonly ReplicaId[], base: ClockVector, ranges: readonly RangeException[], items: readonly ItemException[]): Knowledge {
    const layer = canonicalLayer(base, normalizeRanges(base, ranges));
    const normalItems = items.filter((item) => !vectorEquals(item.vector, rangeLayerAt(layer.base, layer.ranges, item.itemId)));
    return new Knowledge(Object.freeze([...keyMap]), layer.base, Object.freeze(layer.ranges), Object.freeze(normalItems));
  }

  /** The replica that owns this value. */
  get owner(): ReplicaId {
    return this.keyMap[0] ?? '';
  }

  /** The key of `replica` in this value's key map, if present. */
  keyOf(replica: ReplicaId): number | undefined {
    const key = this.keyMap.indexOf(replica);
    return key < 0 ? undefined : key;
  }

  /** The clock vector that applies to `itemId`. */
  vectorFor(itemId: ItemId): ClockVector {
    const item = findItem(this.items, itemId);
    return item ? item.vector : rangeLayerAt(this.base, this.ranges, itemId);
  }

  /** True when the change `(key, tick)` of `itemId` is known, `key` being in this value's key map. */
  containsKeyed(key: number, itemId: ItemId, tick: number): boolean {
    return tickOf(this.vectorFor(itemId), key) >= tick;
  }

  /** True when the change `tick` by `replica` to `itemId` is known (or superseded). */
  containsChange(replica: ReplicaId, itemId: ItemId, tick: number): boolean {
    const key = this.keyOf(replica);
    return key === undefined ? tick <= 0 : this.containsKeyed(key, itemId, tick);
  }

  /** True when every change `other` knows is known here. */
  contains(other: Knowledge): boolean {
    const mapped = this.mapRemoteToLocal(other);
    // The segment points start at "" and include every range end, so they also cover the base's gaps.
    for (const point of boundaries(this.ranges, mapped.ranges)) {
      if (!vectorLeq(rangeLayerAt(mapped.base, mapped.ranges, point), rangeLayerAt(this.base, this.ranges, point))) return false;
    }
    for (const item of [...this.items, ...mapped.items]) {
      if (!vectorLeq(mapped.vectorFor(item.itemId), this.vectorFor(item.itemId))) return false;
    }
    return true;
  }

  /** Semantic equality (independent of key order and representation). */
  equals(other: Knowledge): boolean {
    return this.contains(other) && other.contains(this);
  }

  /**
   * Expresses `remote` with this value's replica keys, appending keys for replicas this value does not know.
   * The result's key map starts with this key map, so local versions stay valid against it.
   */
  mapRemoteToLocal(remote: Knowledge): Knowledge {
    if (remote.keyMap === this.keyMap) return remote;
    const keyMap = [...this.keyMap];
    const translation = remote.keyMap.map((replica) => {
      const known = keyMap.indexOf(replica);
      if (known >= 0) return known;
      keyMap.push(replica);
      return keyMap.length - 1;
    });
    const identity = translation.every((key, index) => key === index);
    if (identity) return new Knowledge(Object.freeze(keyMap), remote.base, remote.ranges, remote.items);
    const ranges = remote.ranges.map((range) => ({ ...range, vector: remapVector(range.vector, translation) }));
    const items = remote.items.map((item) => ({ itemId: item.itemId, vector: remapVector(item.vector, translation) }));
    return new Knowledge(Object.freeze(keyMap), remapVector(remote.base, translation), ranges, items);
  }

  /** Everything known by either value (pointwise maximum). Keeps this value's key map as a prefix. */
  union(other: Knowledge): Knowledge {
    const mapped = this.mapRemoteToLocal(other);
    const base = maxVector(this.base, mapped.base);
    const ranges: RangeException[] = [];
    const points = boundaries(this.ranges, mapped.ranges);
    for (let index = 0; index < points.length; index++) {
      const from = points[index] ?? '';
      const vector = maxVector(rangeLayerAt(this.base, this.ranges, from), rangeLayerAt(mapped.base, mapped.ranges, from));
      ranges.push({ from, to: points[index + 1] ?? null, vector });
    }
    const layer = canonicalLayer(base, normalizeRanges(base, ranges));
    const items = mergeItems(this, mapped, (id) => maxVector(this.vectorFor(id), mapped.vectorFor(id)));
    const kept = items.filter((item) => !vectorEquals(item.vector, rangeLayerAt(layer.base, layer.ranges, item.itemId)));
    return new Knowledge(mapped.keyMap, layer.base, Object.freeze(layer.ranges), Object.freeze(kept));
  }

  /** What is known about one item only. */
  projectOntoItem(itemId: ItemId): Knowledge {
    return Knowledge.of(this.keyMap, EMPTY_VECTOR, [], [{ itemId, vector: this.vectorFor(itemId) }]);
  }

  /** What is known about items in `[from, to)` only (`to` null = unbounded). */
  projectOntoRange(from: ItemId, to: ItemId | null): Knowledge {
    const inside = (id: ItemId): boolean => id >= from && (to === null || id < to);
    const points = [from, ...boundaries(this.ranges, []).filter((point) => point > from && inside(point))];
    const ranges = points.map((point, index) => ({ from: point, to: points[index + 1] ?? to, vector: rangeLayerAt(this.base, this.ranges, point) }));
    const items = this.items.filter((item) => inside(item.itemId));
    return Knowledge.of(this.keyMap, EMPTY_VECTOR, ranges, items);
  }

  /** This knowledge, except that nothing is known about `itemId` (used when a change is skipped or deferred). */
  excludeItem(itemId: ItemId): Knowledge {
    const items = this.items.filter((item) => item.itemId !== itemId);
    const at = lowerBound(items, itemId);
    items.splice(at, 0, { itemId, vector: EMPTY_VECTOR });
    return Knowledge.of(this.keyMap, this.base, this.ranges, items);
  }

  /** This knowledge, except that nothing is known about any of `itemIds` (one pass for many skipped items). */
  excludeItems(itemIds: Iterable<ItemId>): Knowledge {
    const excluded = new Set(itemIds);
    if (excluded.size === 0) return this;
    const items = this.items.filter((item) => !excluded.has(item.itemId));
    for (const itemId of excluded) items.push({ itemId, vector: EMPTY_VECTOR });
    items.sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
    return Knowledge.of(this.keyMap, this.base, this.ranges, items);
  }

  /** This knowledge plus every change of replica `key` up to `tick`, for every item. */
  withTick(key: number, tick: number): Knowledge {
    if (tickOf(this.base, key) >= tick && this.ranges.length === 0 && this.items.length === 0) return this;
    const vector = Array.from({ length: key + 1 }, (_, index) => (index === key ? tick : 0));
    return this.union(new Knowledge(this.keyMap, trimVector(vector), [], []));
  }

  /**
   * Lowest tick known for replica `key` in the base and range exceptions; changes above it may be unknown for
   * some item. Single-item exceptions are left out: callers check `items` separately (they are few).
   */
  minimumTick(key: number): number {
    let min = tickOf(this.base, key);
    for (const range of this.ranges) min = Math.min(min, tickOf(range.vector, key));
    return min;
  }

  /** A readable, key-independent description (for tests and diagnostics). */
  describe(): string {
    const named = (vector: ClockVector): string =>
      vector.map((tick, key) => [this.keyMap[key] ?? `#${key}`, tick] as const).filter(([, tick]) => tick > 0).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, tick]) => `${id.slice(0, 8)}:${tick}`).join(',');
    const ranges = this.ranges.map((range) => `[${range.from},${range.to ?? '∞'})={${named(range.vector)}}`);
    const items = this.items.map((item) => `${item.itemId}={${named(item.vector)}}`);
    return `{${named(this.base)}} ${ranges.join(' ')} ${items.join(' ')}`.trim();
  }
}

/** Vector of the range layer (base overridden by ranges) at `itemId`. */
function rangeLayerAt(base: ClockVector, ranges: readonly RangeException[], itemId: ItemId): ClockVector {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle];
    if (range === undefined) break;
    if (itemId < range.from) high = middle - 1;
    else if (range.to !== null && itemId >= range.to) low = middle + 1;
    else return range.vector;
  }
  return base;
}

/** Sorted unique segment start points of two range lists, always starting at "" (the smallest id). */
function boundaries(a: readonly RangeException[], b: readonly RangeException[]): string[] {
  const points = new Set<string>(['']);
  for (const range of [...a, ...b]) {
    points.add(range.from);
    if (range.to !== null) points.add(range.to);
  }
  return [...points].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Drops ranges equal to the base and merges adjacent ranges with equal vectors. */
function normalizeRanges(base: ClockVector, ranges: readonly RangeException[]): RangeException[] {
  const out: RangeException[] = [];
  for (const range of ranges) {
    if (range.to !== null && range.to <= range.from) continue;
    if (vectorEquals(range.vector, base)) continue;
    const last = out[out.length - 1];
    if (last && last.to === range.from && vectorEquals(last.vector, range.vector)) out[out.length - 1] = { ...last, to: range.to };
    else out.push(range);
  }
  return out;
}

/** A single range covering every id is the base. */
function canonicalLayer(base: ClockVector, ranges: RangeException[]): { base: ClockVector; ranges: RangeException[] } {
  const only = ranges[0];
  if (ranges.length === 1 && only && only.from === '' && only.to === null) return { base: only.vector, ranges: [] };
  return { base, ranges };
}

function findItem(items: readonly ItemException[], itemId: ItemId): ItemException | undefined {
  const at = lowerBound(items, itemId);
  const item = items[at];
  return item && item.itemId === itemId ? item : undefined;
}

function lowerBound(items: readonly ItemException[], itemId: ItemId): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((items[middle]?.itemId ?? '') < itemId) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Sorted union of the item-exception ids of both values, each with `vectorOf(id)`. */
function mergeItems(a: Knowledge, b: Knowledge, vectorOf: (id: ItemId) => ClockVector): ItemException[] {
  const out: ItemException[] = [];
  let i = 0;
  let j = 0;
  while (i < a.items.length || j < b.items.length) {
    const x = a.items[i]?.itemId;
    const y = b.items[j]?.itemId;
    const id = x === undefined ? y : y === undefined ? x : x < y ? x : y;
    if (id === undefined) break;
    if (id === x) i++;
    if (id === y) j++;
    out.push({ itemId: id, vector: vectorOf(id) });
  }
  return out;
}
