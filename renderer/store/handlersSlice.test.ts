import { describe, expect, it } from 'vitest';
import { makeHandler, makeItem } from '../test/fixtures.ts';
import { createAppStore } from './store.ts';

describe('handlers slice', () => {
  it('applies item progress and keeps untouched handlers and items identical', () => {
    const store = createAppStore(null);
    const other = makeHandler({ id: 'xml', items: [makeItem({ id: 'x', handlerId: 'xml' })] });
    store.getState().setHandlers([makeHandler({ items: [makeItem({ id: 'a' }), makeItem({ id: 'b' })] }), other]);
    const before = store.getState().handlers;
    store.getState().applyItemProgress('folders', 'b', 'updating', { current: 5, max: 10, text: 'Copying' });
    const after = store.getState().handlers;
    expect(after[0]?.items[1]).toMatchObject({ state: 'updating', progress: { current: 5, max: 10 } });
    expect(after[0]?.items[0]).toBe(before[0]?.items[0]);
    expect(after[1]).toBe(other);
  });

  it('ignores events for unknown handlers or items, and no-op updates', () => {
    const store = createAppStore(null);
    store.getState().setHandlers([makeHandler()]);
    const before = store.getState().handlers;
    store.getState().applyItemProgress('nope', 'item-1', 'updating', null);
    store.getState().applyItemProgress('folders', 'nope', 'updating', null);
    store.getState().applyHandlerProgress('folders', 'idle', null);
    expect(store.getState().handlers).toBe(before);
  });

  it('applies handler progress', () => {
    const store = createAppStore(null);
    store.getState().setHandlers([makeHandler()]);
    store.getState().applyHandlerProgress('folders', 'updatingIndeterminate', { current: 0, max: 0, text: 'Scanning' });
    expect(store.getState().handlers[0]).toMatchObject({ state: 'updatingIndeterminate', progress: { text: 'Scanning' } });
  });

  it('keeps the last list when a refresh fails after a good load', () => {
    const store = createAppStore(null);
    store.getState().setHandlersFailed('down');
    expect(store.getState().handlersStatus).toBe('failed');
    store.getState().setHandlers([makeHandler()]);
    store.getState().setHandlersFailed('down again');
    expect(store.getState()).toMatchObject({ handlersStatus: 'ready', handlersError: 'down again' });
    expect(store.getState().handlers).toHaveLength(1);
  });
});

describe('ui slice', () => {
  it('opening a handler selects it, and going back keeps it selected', () => {
    const store = createAppStore(null);
    store.getState().openHandler('folders');
    expect(store.getState()).toMatchObject({ view: 'partnerships', openHandlerId: 'folders', selection: { handlerId: 'folders', itemId: null } });
    store.getState().select({ handlerId: 'folders', itemId: 'a' });
    store.getState().openHandler(null);
    expect(store.getState()).toMatchObject({ openHandlerId: null, selection: { handlerId: 'folders', itemId: null } });
  });

  it('persists only language and theme', () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (key: string) => saved.get(key) ?? null, setItem: (key: string, value: string) => void saved.set(key, value), removeItem: () => undefined };
    const store = createAppStore(storage);
    store.getState().setTheme('dark');
    store.getState().setLanguage('fr');
    store.getState().showView('results');
    const persisted = JSON.parse(saved.get('synccenter.preferences') ?? '{}') as { state: Record<string, unknown> };
    expect(persisted.state).toEqual({ language: 'fr', theme: 'dark' });
    expect(createAppStore(storage).getState()).toMatchObject({ language: 'fr', theme: 'dark', view: 'partnerships' });
  });
});
