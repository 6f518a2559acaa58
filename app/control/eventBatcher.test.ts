import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncEvent } from './events.ts';
import { createEventBatcher } from './eventBatcher.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const progress = (itemId: string): SyncEvent => ({ type: 'itemProgressed', handlerId: 'h', itemId, state: 'updating', progress: null });

describe('event batcher', () => {
  it('sends a burst as one message, in order, after the interval', () => {
    const sent: SyncEvent[][] = [];
    const batcher = createEventBatcher((events) => sent.push(events), 33);
    for (let index = 0; index < 200; index += 1) batcher.push(progress(`i${index}`));
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(33);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.map((event) => (event.type === 'itemProgressed' ? event.itemId : ''))).toEqual(Array.from({ length: 200 }, (_, index) => `i${index}`));
  });

  it('starts a new batch after a flush, and close sends what is pending', () => {
    const sent: SyncEvent[][] = [];
    const batcher = createEventBatcher((events) => sent.push(events), 33);
    batcher.push(progress('a'));
    vi.advanceTimersByTime(33);
    batcher.push(progress('b'));
    batcher.close();
    expect(sent.map((batch) => batch.length)).toEqual([1, 1]);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });
});
