import { describe, expect, it } from 'vitest';
import type { StateStorage } from 'zustand/middleware';
import { createAppStore, writeOnChange } from './store.ts';

function countingStorage(): StateStorage & { writes: string[] } {
  const values = new Map<string, string>();
  const writes: string[] = [];
  return {
    writes,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      writes.push(value);
      values.set(key, value);
    },
    removeItem: (key) => void values.delete(key),
  };
}

describe('preference persistence', () => {
  it('writes only when the stored value changes', () => {
    const storage = countingStorage();
    const deduped = writeOnChange(storage);
    deduped.setItem('k', 'a');
    deduped.setItem('k', 'a');
    deduped.setItem('k', 'b');
    expect(storage.writes).toEqual(['a', 'b']);
  });

  it('keeps progress streams away from storage, and still saves a changed preference', () => {
    const storage = countingStorage();
    const store = createAppStore(storage);
    const before = storage.writes.length;
    for (let index = 0; index < 500; index += 1) store.getState().applyItemProgress('h', `i${index}`, 'updating', { current: index, max: 500, text: '' });
    expect(storage.writes.length).toBeLessThanOrEqual(before + 1);
    store.getState().setTheme('dark');
    expect(storage.writes.at(-1)).toContain('"theme":"dark"');
  });
});
