import { describe, expect, it } from 'vitest';
import { createAppStore } from './store.ts';

describe('last results', () => {
  it('keeps the item end, then fills in the session counts with the earlier time', () => {
    const store = createAppStore(null);
    store.getState().recordItemFinished('folders', 'a', 's1', 'succeeded', 100);
    expect(store.getState().lastResults.get('folders/a')).toMatchObject({ state: 'succeeded', errors: null, finishedTime: 100 });
    const result = { status: 'failed' as const, errors: 2, conflicts: 1, items: [{ handlerId: 'folders', itemId: 'a', state: 'failed' as const, errors: 2, conflicts: 1 }] };
    store.getState().recordSessionFinished('folders', 's1', result, true, 150);
    expect(store.getState().lastResults.get('folders/a')).toMatchObject({ state: 'failed', errors: 2, conflicts: 1, finishedTime: 100, manual: true });
    expect(store.getState().lastResults.get('folders')).toMatchObject({ state: 'failed', errors: 2, conflicts: 1, finishedTime: 150 });
  });

  it('a later session replaces the earlier one', () => {
    const store = createAppStore(null);
    store.getState().recordItemFinished('folders', 'a', 's1', 'failed', 100);
    const result = { status: 'succeeded' as const, errors: 0, conflicts: 0, items: [{ handlerId: 'folders', itemId: 'a', state: 'succeeded' as const, errors: 0, conflicts: 0 }] };
    store.getState().recordSessionFinished('folders', 's2', result, false, 300);
    expect(store.getState().lastResults.get('folders/a')).toMatchObject({ sessionId: 's2', state: 'succeeded', finishedTime: 300 });
  });
});
