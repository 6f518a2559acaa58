/**
 * Main-process strings (tray, notifications, dialogs) in English and French through i18next, following the
 * system language. The renderer has its own resources; these are the few the main process shows itself.
 */
import i18next, { type i18n, type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

export const mainResources = { en: { main: en }, fr: { main: fr } } as const;

/** Creates an isolated i18next instance for `locale` (e.g. Electron's `app.getLocale()`), falling back to English. */
export async function createMainI18n(locale: string): Promise<{ i18n: i18n; t: TFunction<'main'> }> {
  const instance = i18next.createInstance();
  const language = locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
  await instance.init({ lng: language, fallbackLng: 'en', ns: ['main'], defaultNS: 'main', resources: mainResources, interpolation: { escapeValue: false } });
  return { i18n: instance, t: instance.getFixedT(language, 'main') };
}
