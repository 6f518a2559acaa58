import { describe, expect, it } from 'vitest';
import { createAppStore } from '../store/store.ts';
import { followHash, viewFromHash, type HashWindow } from './hashNavigation.ts';

function fakeWindow(hash: string) {
  const listeners = new Set<() => void>();
  const replaced: string[] = [];
  const location = { hash, pathname: '/index.html', search: '' };
  const win: HashWindow = {
    location,
    history: {
      state: null,
      replaceState: (_state: unknown, _title: string, url?: string | URL | null) => {
        replaced.push(String(url));
        location.hash = String(url).slice(String(url).indexOf('#'));
      },
    },
    addEventListener: (_type, listener) => void listeners.add(listener),
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  const navigate = (next: string) => {
    location.hash = next;
    for (const listener of listeners) listener();
  };
  return { win, replaced, navigate, listeners };
}

describe('hash navigation', () => {
  it('maps fragments to views and ignores anything else', () => {
    expect(viewFromHash('#conflicts')).toBe('conflicts');
    expect(viewFromHash('RESULTS')).toBe('results');
    expect(viewFromHash('#token=abc')).toBeNull();
    expect(viewFromHash('')).toBeNull();
  });

  it('opens the view of the start fragment and follows hashchange (the tray)', () => {
    const store = createAppStore(null);
    const { win, navigate } = fakeWindow('#conflicts');
    followHash(store, win);
    expect(store.getState().view).toBe('conflicts');
    navigate('#results');
    expect(store.getState().view).toBe('results');
    navigate('#nonsense');
    expect(store.getState().view).toBe('results');
  });

  it('writes the view into the fragment with replaceState, once per change', () => {
    const store = createAppStore(null);
    const { win, replaced, listeners } = fakeWindow('');
    const stop = followHash(store, win);
    expect(replaced).toEqual(['/index.html#partnerships']);
    store.getState().showView('setup');
    store.getState().openHandler('folders');
    expect(replaced).toEqual(['/index.html#partnerships', '/index.html#setup', '/index.html#partnerships']);
    stop();
    expect(listeners.size).toBe(0);
  });
});
