import type { AppStore } from '../store/store.ts';
import { viewIds, type ViewId } from '../store/uiSlice.ts';

/** The parts of `window` hash navigation touches, injected so it runs in tests without a DOM. */
export interface HashWindow {
  readonly location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

/** The view a fragment names (`#conflicts`), or null for anything else (empty, `#token=…`, unknown). */
export function viewFromHash(hash: string): ViewId | null {
  const name = (hash.startsWith('#') ? hash.slice(1) : hash).toLowerCase();
  return viewIds.find((view) => view === name) ?? null;
}

/**
 * Keeps the current view and the URL fragment in step, both ways. The tray opens
 * `app://sync-center/index.html#conflicts` on the page that is already loaded, so the window listens to
 * `hashchange` as well as reading the fragment at start. Navigating inside the window rewrites the fragment with
 * `replaceState`: a reload lands on the same view, and Back does not step through every view visited.
 */
export function followHash(store: AppStore, win: HashWindow): () => void {
  const fromHash = (): void => {
    const view = viewFromHash(win.location.hash);
    if (view !== null) store.getState().showView(view);
  };
  const toHash = (view: ViewId): void => {
    if (win.location.hash === `#${view}`) return;
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${win.location.search}#${view}`);
  };
  fromHash();
  toHash(store.getState().view);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view !== previous.view) toHash(state.view);
  });
  win.addEventListener('hashchange', fromHash);
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', fromHash);
  };
}
