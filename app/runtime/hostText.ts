/**
 * The host's own user-visible text (what the session manager and the worker pool add to Sync Results about a
 * session: a failure, a crashed worker, an invalid report, records that could not be saved; and the errors its
 * calls return: an unknown item, a disabled handler, a damaged state database) in English and French,
 * in the host's language like the built-in handlers' text: `SYNCCENTER_LANG` (Electron sets it from the system
 * locale), else the system's (`LC_ALL`, `LC_MESSAGES`, `LANG`; see `hostLocale`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import i18next, { type TFunction } from 'i18next';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** The language a locale string selects (French or English). */
export function languageOf(locale: string | undefined): 'en' | 'fr' {
  return (locale ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

/** The language of the caller being served, where it said one (a command line talking to a running host). */
const callerLanguage = new AsyncLocalStorage<string>();

/**
 * Runs `body` (and everything it starts) in the caller's `language`, so that the host answers a command line in the
 * command line's language while the window keeps its own; undefined: the host's.
 */
export function inCallerLanguage<T>(language: string | undefined, body: () => T): T {
  return language === undefined ? body() : callerLanguage.run(language, body);
}

/**
 * The locale of the text made outside the window: the caller's being served (`inCallerLanguage`), else
 * `SYNCCENTER_LANG`, else the system's locale for messages (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first one set, as
 * POSIX orders them; an empty one counts as unset), of `env`.
 */
export function hostLocale(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return callerLanguage.getStore() ?? [env.SYNCCENTER_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
}

/**
 * A catalog outside the window (the host's, the handlers', the scheduler's, the CLI's): its English and French
 * texts under `namespace`, and a translator for a locale (the host's, `hostLocale()`, when none is given).
 */
export function textCatalog<Namespace extends string>(namespace: Namespace, en: object, fr: object): (locale?: string) => TFunction<Namespace> {
  const instance = i18next.createInstance();
  void instance.init({ initAsync: false, resources: { en: { [namespace]: en }, fr: { [namespace]: fr } }, lng: 'en', fallbackLng: 'en', ns: [namespace], defaultNS: namespace, interpolation: { escapeValue: false } });
  return (locale = hostLocale()) => instance.getFixedT(languageOf(locale), namespace);
}

/** A translator for the host's language (or the one given). */
export const hostText = textCatalog('host', en, fr);
