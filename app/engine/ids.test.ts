import { expect, test } from 'vitest';
import { idSources, isReplicaId, newItemId } from './ids.ts';

test('new item ids are GUIDs that sort in the order they were made, even many within one millisecond', () => {
  const ids = Array.from({ length: 10_000 }, () => newItemId());
  expect(ids.every((id) => isReplicaId(id) && id[14] === '7')).toBe(true); // RFC 9562 version 7
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test('a session takes time-ordered item ids and random replica ids, or both from one injected source', () => {
  const real = idSources();
  expect(isReplicaId(real.replica())).toBe(true);
  expect(real.replica()[14]).toBe('4');
  expect(real.item).toBe(newItemId);
  let next = 0;
  const injected = idSources(() => `id-${(next += 1)}`);
  expect([injected.item(), injected.replica(), injected.item()]).toEqual(['id-1', 'id-2', 'id-3']);
});
