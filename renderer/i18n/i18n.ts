import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { LanguageChoice } from '../store/uiSlice.ts';
import en from './en.json';
import fr from './fr.json';

/** The languages the window ships; the first is the fallback. */
export const supportedLanguages = ['en', 'fr'] as const;
export type Language = (typeof supportedLanguages)[number];

/** The resource bundles, exported for the key-parity test. */
export const resources = { en: { translation: en }, fr: { translation: fr } } as const;

/**
 * Resolves the user's choice to a shipped language: an explicit choice wins; `system` takes the first of the
 * browser's preferred languages we ship (matching on the primary subtag, so `fr-CA` gives French), else English.
 */
export function resolveLanguage(choice: LanguageChoice, preferred: readonly string[]): Language {
  if (choice !== 'system') return choice;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    const match = supportedLanguages.find((language) => language === primary);
    if (match !== undefined) return match;
  }
  return 'en';
}

/** Creates and initialises the window's i18next instance (synchronously: resources are bundled). */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...supportedLanguages],
    initAsync: false,
    // React escapes text already; escaping twice would show entities.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
