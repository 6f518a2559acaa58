import type { StateCreator } from 'zustand';
import type { HostInfo } from '../../app/control/schemas.ts';
import type { AppState, AppMutators } from './appState.ts';
import { itemKey } from './handlerIndex.ts';

/** The four places of the left navigation. */
export type ViewId = 'partnerships' | 'conflicts' | 'results' | 'setup';
export const viewIds: readonly ViewId[] = ['partnerships', 'conflicts', 'results', 'setup'];

/** The user's language choice; `system` follows `navigator.language`. */
export type LanguageChoice = 'system' | 'en' | 'fr';
/** The user's theme choice; `system` follows `prefers-color-scheme`. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** What the window is connected to. `unauthorized` means the web token was refused. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

/** The selected row: a handler, or one of its items. */
export type Selection = { readonly handlerId: string; readonly itemId: string | null } | null;

/**
 * A message for the polite live region. It is stored as an i18n key with values, not as text, so the store stays
 * language-neutral and the announcement follows a language switch; `id` makes a repeated message announce again.
 */
export interface Announcement {
  readonly id: number;
  readonly key: string;
  readonly values: Readonly<Record<string, string | number>>;
}

/** A row the partnerships grid should scroll to and focus once it exists; `id` makes a repeat request new. */
export interface RevealRequest {
  readonly id: number;
  readonly key: string;
}

/** A problem to show in the window's notice bar (a failed action), with its error code for diagnostics. */
export interface Notice {
  readonly id: number;
  readonly key: string;
  readonly values: Readonly<Record<string, string | number>>;
}

/** Navigation, selection, preferences and window-level status. */
export interface UiSlice {
  readonly view: ViewId;
  /** The handler whose items the partnerships view shows, or null for the handler list. */
  readonly openHandlerId: string | null;
  readonly selection: Selection;
  readonly language: LanguageChoice;
  readonly theme: ThemeChoice;
  readonly connection: ConnectionState;
  readonly hostInfo: HostInfo | null;
  readonly announcement: Announcement | null;
  readonly notice: Notice | null;
  readonly revealRequest: RevealRequest | null;
  showView(view: ViewId): void;
  /** Shows an item in its handler's list, selected and focused (after setting up a partnership). */
  revealItem(handlerId: string, itemId: string): void;
  openHandler(handlerId: string | null): void;
  select(selection: Selection): void;
  setLanguage(language: LanguageChoice): void;
  setTheme(theme: ThemeChoice): void;
  setConnection(connection: ConnectionState): void;
  setHostInfo(info: HostInfo): void;
  announce(key: string, values?: Record<string, string | number>): void;
  showNotice(key: string, values?: Record<string, string | number>): void;
  dismissNotice(): void;
}

let sequence = 0;

/** Builds the UI slice. */
export const createUiSlice: StateCreator<AppState, AppMutators, [], UiSlice> = (set) => ({
  view: 'partnerships',
  openHandlerId: null,
  selection: null,
  language: 'system',
  theme: 'system',
  connection: 'connecting',
  hostInfo: null,
  announcement: null,
  notice: null,
  revealRequest: null,
  showView: (view) => set((state) => (state.view === view ? state : { view, openHandlerId: view === 'partnerships' ? state.openHandlerId : null })),
  openHandler: (openHandlerId) =>
    set((state) => {
      // Going back keeps the handler just left selected, so keyboard users land where they were.
      const handlerId = openHandlerId ?? state.openHandlerId;
      return { view: 'partnerships', openHandlerId, selection: handlerId === null ? null : { handlerId, itemId: null } };
    }),
  revealItem: (handlerId, itemId) =>
    set({
      view: 'partnerships',
      openHandlerId: handlerId,
      selection: { handlerId, itemId },
      revealRequest: { id: ++sequence, key: itemKey(handlerId, itemId) },
    }),
  select: (selection) => set({ selection }),
  setLanguage: (language) => set({ language }),
  setTheme: (theme) => set({ theme }),
  setConnection: (connection) => set({ connection }),
  setHostInfo: (hostInfo) => set({ hostInfo }),
  announce: (key, values = {}) => set({ announcement: { id: ++sequence, key, values } }),
  showNotice: (key, values = {}) => set({ notice: { id: ++sequence, key, values } }),
  dismissNotice: () => set({ notice: null }),
});
