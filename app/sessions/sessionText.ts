/**
 * The session manager's own user-visible text (the events it adds to Sync Results about a session: a failure, an
 * invalid report, records it could not save) in English and French, in the host's language like the built-in
 * handlers' text.
 */
import i18next, { type TFunction } from 'i18next';
import { languageOf } from '../handlers/handlerText.ts';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

const instance = i18next.createInstance();
void instance.init({ initAsync: false, resources: { en: { sessions: en }, fr: { sessions: fr } }, lng: 'en', fallbackLng: 'en', ns: ['sessions'], defaultNS: 'sessions', interpolation: { escapeValue: false } });

/** A translator for the host's language (or the one given). */
export function sessionText(locale: string | undefined = process.env.SYNCCENTER_LANG ?? process.env.LANG): TFunction<'sessions'> {
  return instance.getFixedT(languageOf(locale), 'sessions');
}
