import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../store/store.ts';
import { makeHandler, makeItem } from '../../test/fixtures.ts';
import { selectRow, selectRowKeys } from './rowSelectors.ts';

function bigStore(count: number) {
  const store = createAppStore(null);
  const items = Array.from({ length: count }, (_, index) => makeItem({ id: `i${index}`, name: `Item ${index}` }));
  store.getState().setHandlers([makeHandler({ items }), makeHandler({ id: 'xml', name: 'XML', items: [] })]);
  store.getState().openHandler('folders');
  return store;
}

describe('row selectors', () => {
  it('a progress update for one of 10,000 items keeps every other row state and the key list identical', () => {
    const store = bigStore(10_000);
    const before = store.getState();
    const keys = selectRowKeys(before);
    const rows = ['i0', 'i1', 'i4999', 'i9999'].map((id) => selectRow(before, 'folders', id));
    const target = selectRow(before, 'folders', 'i5000');

    store.getState().applyItemProgress('folders', 'i5000', 'updating', { current: 3, max: 10, text: 'a.txt' });
    const after = store.getState();

    expect(after.handlers).not.toBe(before.handlers);
    expect(selectRowKeys(after)).toBe(keys);
    ['i0', 'i1', 'i4999', 'i9999'].forEach((id, index) => expect(selectRow(after, 'folders', id)).toBe(rows[index]));
    const updated = selectRow(after, 'folders', 'i5000');
    expect(updated).not.toBe(target);
    expect(updated).toMatchObject({ status: 'syncing', active: true, progress: { current: 3, max: 10 } });
  });

  it('keeps a handler row identical when only one of its items changed', () => {
    const store = bigStore(3);
    store.getState().openHandler(null);
    const before = selectRow(store.getState(), 'folders', null);
    store.getState().applyItemProgress('folders', 'i1', 'updating', { current: 1, max: 2, text: '' });
    expect(selectRow(store.getState(), 'folders', null)).toBe(before);
    store.getState().applyHandlerProgress('folders', 'updating', { current: 1, max: 2, text: 'Copying' });
    expect(selectRow(store.getState(), 'folders', null)).toMatchObject({ status: 'syncing', progress: { text: 'Copying' } });
  });

  it('lists handler keys at the top level and item keys inside a handler; unknown rows are null', () => {
    const store = bigStore(2);
    expect(selectRowKeys(store.getState())).toEqual(['folders/i0', 'folders/i1']);
    store.getState().openHandler(null);
    expect(selectRowKeys(store.getState())).toEqual(['folders', 'xml']);
    expect(selectRow(store.getState(), 'folders', 'gone')).toBeNull();
    expect(selectRow(store.getState(), 'gone', null)).toBeNull();
  });
});
