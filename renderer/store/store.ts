import { createStore } from 'zustand/vanilla';
import { createJSONStorage, persist, type StateStorage } from 'zustand/middleware';
import { useStore } from 'zustand';
import type { AppState } from './appState.ts';
import { createConflictsSlice } from './conflictsSlice.ts';
import { createHandlersSlice } from './handlersSlice.ts';
import { createResultsSlice } from './resultsSlice.ts';
import { createSchedulesSlice } from './schedulesSlice.ts';
import { createUiSlice } from './uiSlice.ts';

export type { AppState } from './appState.ts';

/** Only preferences survive a restart; everything else comes fresh from the host. */
type PersistedState = Pick<AppState, 'language' | 'theme'>;

/**
 * Creates the one store of the window from its slices. Middleware (persistence of preferences) wraps the
 * combined store only. `storage` is injected so tests run in Node without `localStorage`.
 */
export function createAppStore(storage: StateStorage | null) {
  return createStore<AppState>()(
    persist(
      (...args) => ({
        ...createHandlersSlice(...args),
        ...createResultsSlice(...args),
        ...createConflictsSlice(...args),
        ...createSchedulesSlice(...args),
        ...createUiSlice(...args),
      }),
      {
        name: 'synccenter.preferences',
        version: 1,
        storage: createJSONStorage<PersistedState>(() => writeOnChange(storage ?? memoryStorage())),
        partialize: (state): PersistedState => ({ language: state.language, theme: state.theme }),
      },
    ),
  );
}

/** The store type, for modules (the bridge) that receive it as a parameter. */
export type AppStore = ReturnType<typeof createAppStore>;

/** The window's store. Preferences live in localStorage when the page may use it. */
export const appStore: AppStore = createAppStore(localStorageOrNull());

/** React hook over the window's store; pass a selector of one field, or wrap several in `useShallow`. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}

function localStorageOrNull(): StateStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * `persist` writes after every state change; progress streams hundreds of changes a second while the
 * preferences almost never change, so only a different value reaches the (synchronous, slow) storage.
 */
export function writeOnChange(storage: StateStorage): StateStorage {
  const written = new Map<string, string>();
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => {
      if (written.get(key) === value) return;
      written.set(key, value);
      return storage.setItem(key, value);
    },
    removeItem: (key) => {
      written.delete(key);
      return storage.removeItem(key);
    },
  };
}

function memoryStorage(): StateStorage {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}
