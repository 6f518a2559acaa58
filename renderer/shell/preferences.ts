import type { i18n } from 'i18next';
import { resolveLanguage } from '../i18n/i18n.ts';
import type { AppStore } from '../store/store.ts';
import type { ThemeChoice } from '../store/uiSlice.ts';

/**
 * Keeps the document in step with the user's preferences: the i18n language and `<html lang>`, and the theme
 * as `data-theme` (absent for "system", where CSS follows `prefers-color-scheme`). A "system" language also
 * follows the browser's `languagechange` event.
 */
export function followPreferences(store: AppStore, i18n: i18n): () => void {
  const apply = (): void => {
    const { language, theme } = store.getState();
    const resolved = resolveLanguage(language, navigator.languages);
    if (i18n.language !== resolved) void i18n.changeLanguage(resolved);
    document.documentElement.lang = resolved;
    applyTheme(theme);
  };
  apply();
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.language !== previous.language || state.theme !== previous.theme) apply();
  });
  window.addEventListener('languagechange', apply);
  return () => {
    unsubscribe();
    window.removeEventListener('languagechange', apply);
  };
}

function applyTheme(theme: ThemeChoice): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}
