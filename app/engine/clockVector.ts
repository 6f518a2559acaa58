/**
 * Clock vectors: for each replica key, the highest tick of that replica's changes that are known. Stored dense
 * (index = replica key, 0 = nothing known) with trailing zeros trimmed, so equal vectors are equal arrays.
 */

/** An immutable clock vector; `vector[key]` is the highest known tick of replica `key`. */
export type ClockVector = readonly number[];

/** The vector that knows nothing. */
export const EMPTY_VECTOR: ClockVector = Object.freeze([]);

/** Tick known for `key` (0 when none). */
export function tickOf(vector: ClockVector, key: number): number {
  return vector[key] ?? 0;
}

/** Drops trailing zeros so the representation is canonical. */
export function trimVector(ticks: number[]): ClockVector {
  let end = ticks.length;
  while (end > 0 && (ticks[end - 1] ?? 0) === 0) end--;
  ticks.length = end;
  return Object.freeze(ticks);
}

/** Pointwise maximum. */
export function maxVector(a: ClockVector, b: ClockVector): ClockVector {
  if (a === b) return a;
  const out: number[] = [];
  const n = Math.max(a.length, b.length);
  for (let key = 0; key < n; key++) out.push(Math.max(a[key] ?? 0, b[key] ?? 0));
  return trimVector(out);
}

/** True when every tick of `a` is ≤ the same tick of `b`. */
export function vectorLeq(a: ClockVector, b: ClockVector): boolean {
  for (let key = 0; key < a.length; key++) if ((a[key] ?? 0) > (b[key] ?? 0)) return false;
  return true;
}

/** Structural equality of canonical vectors. */
export function vectorEquals(a: ClockVector, b: ClockVector): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let key = 0; key < a.length; key++) if (a[key] !== b[key]) return false;
  return true;
}

/** Re-keys a vector with `keyMap[oldKey] = newKey`. */
export function remapVector(vector: ClockVector, keyMap: readonly number[]): ClockVector {
  const out: number[] = [];
  for (let key = 0; key < vector.length; key++) {
    const tick = vector[key] ?? 0;
    if (tick === 0) continue;
    const target = keyMap[key];
    if (target === undefined) throw new RangeError(`no mapping for replica key ${key}`);
    while (out.length <= target) out.push(0);
    out[target] = tick;
  }
  return trimVector(out);
}
