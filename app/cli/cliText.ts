/**
 * The CLI's own text (listings, sync results, command and option descriptions, the errors it makes itself) in
 * English and French, in the language of its environment: `SYNCCENTER_LANG`, else `LANG`. `--json` documents, data
 * values (ids, paths, states) and error codes are never translated.
 */
import i18next, { type TFunction } from 'i18next';
import { languageOf } from '../runtime/hostText.ts';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** A language the CLI speaks. */
export type CliLanguage = ReturnType<typeof languageOf>;

const instance = i18next.createInstance();
void instance.init({ initAsync: false, resources: { en: { cli: en }, fr: { cli: fr } }, lng: 'en', fallbackLng: 'en', ns: ['cli'], defaultNS: 'cli', interpolation: { escapeValue: false } });

/** The language of an environment (the one `runCli` is given): `SYNCCENTER_LANG`, else `LANG`. */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  return languageOf(env.SYNCCENTER_LANG ?? env.LANG);
}

/** A translator for `language`. */
export function cliText(language: CliLanguage): TFunction<'cli'> {
  return instance.getFixedT(language, 'cli');
}
