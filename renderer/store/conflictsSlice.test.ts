import { describe, expect, it } from 'vitest';
import { selectionAfterClick } from './conflictsSlice.ts';
import { createAppStore } from './store.ts';

const visible = ['a', 'b', 'c', 'd', 'e'];

describe('conflict multi-selection', () => {
  it('replaces, toggles and extends like a file manager', () => {
    let state = selectionAfterClick(new Set(), null, visible, 'b', 'replace');
    expect([...state.selected]).toEqual(['b']);
    state = selectionAfterClick(state.selected, state.anchor, visible, 'd', 'range');
    expect([...state.selected].sort()).toEqual(['b', 'c', 'd']);
    expect(state.anchor).toBe('b');
    state = selectionAfterClick(state.selected, state.anchor, visible, 'a', 'range');
    expect([...state.selected].sort()).toEqual(['a', 'b', 'c', 'd']);
    state = selectionAfterClick(state.selected, state.anchor, visible, 'c', 'toggle');
    expect([...state.selected].sort()).toEqual(['a', 'b', 'd']);
    expect(state.anchor).toBe('c');
  });

  it('a Shift-click without a visible anchor selects the clicked row', () => {
    const state = selectionAfterClick(new Set(), 'gone', visible, 'c', 'range');
    expect([...state.selected]).toEqual(['c']);
  });

  it('drops resolved conflicts from the selection', () => {
    const store = createAppStore(null);
    store.getState().selectConflicts(['a', 'b']);
    store.getState().removeConflicts(['a']);
    expect([...store.getState().selectedConflictIds]).toEqual(['b']);
    store.getState().clickConflict('c', 'toggle', visible);
    expect([...store.getState().selectedConflictIds].sort()).toEqual(['b', 'c']);
  });
});
