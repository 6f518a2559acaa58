/**
 * The built-in handlers' user-visible text (progress, events, conflict descriptions) in English and French,
 * through i18next. Handlers run in the core, so the language comes from the environment the host sets:
 * `SYNCCENTER_LANG` (Electron sets it from the system locale), else `LANG`.
 */
import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

export const handlerResources = { en: { handlers: en }, fr: { handlers: fr } } as const;

/** The language a locale string selects (French or English). */
export function languageOf(locale: string | undefined): 'en' | 'fr' {
  return (locale ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const instance = i18next.createInstance();
void instance.init({ initAsync: false, resources: handlerResources, lng: 'en', fallbackLng: 'en', ns: ['handlers'], defaultNS: 'handlers', interpolation: { escapeValue: false } });

/** A translator for the host's language (or the one given). */
export function handlerText(locale: string | undefined = process.env.SYNCCENTER_LANG ?? process.env.LANG): TFunction<'handlers'> {
  return instance.getFixedT(languageOf(locale), 'handlers');
}
