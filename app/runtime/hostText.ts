/**
 * The host's own user-visible text (what the session manager and the worker pool add to Sync Results about a
 * session: a failure, a crashed worker, an invalid report, records that could not be saved; and the errors its
 * calls return: an unknown item, a disabled handler, a damaged state database) in English and French,
 * in the host's language like the built-in handlers' text: `SYNCCENTER_LANG` (Electron sets it from the system
 * locale), else `LANG`.
 */
import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** The language a locale string selects (French or English). */
export function languageOf(locale: string | undefined): 'en' | 'fr' {
  return (locale ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const instance = i18next.createInstance();
void instance.init({ initAsync: false, resources: { en: { host: en }, fr: { host: fr } }, lng: 'en', fallbackLng: 'en', ns: ['host'], defaultNS: 'host', interpolation: { escapeValue: false } });

/** A translator for the host's language (or the one given). */
export function hostText(locale: string | undefined = process.env.SYNCCENTER_LANG ?? process.env.LANG): TFunction<'host'> {
  return instance.getFixedT(languageOf(locale), 'host');
}
