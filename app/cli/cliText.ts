/**
 * The CLI's own text (listings, sync results, command and option descriptions, the errors it makes itself) in
 * English and French, in the language of its environment: `SYNCCENTER_LANG`, else `LC_ALL`, `LC_MESSAGES`, `LANG` (`hostLocale`). `--json` documents, data
 * values (ids, paths, states) and error codes are never translated.
 */
import type { TFunction } from 'i18next';
import { hostLocale, languageOf, textCatalog } from '../runtime/hostText.ts';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** A language the CLI speaks. */
export type CliLanguage = ReturnType<typeof languageOf>;

const catalog = textCatalog('cli', en, fr);

/** The language of an environment (the one `runCli` is given): see `hostLocale`. */
export function cliLanguage(env: NodeJS.ProcessEnv): CliLanguage {
  return languageOf(hostLocale(env));
}

/** A translator for `language`. */
export function cliText(language: CliLanguage): TFunction<'cli'> {
  return catalog(language);
}

/**
 * A moment as people read it, in the user's language and time zone, as the window shows it but with seconds
 * ("Jan 2, 2025, 4:04:05 AM", « 2 janv. 2025, 04:04:05 »). `--json` keeps the milliseconds since the epoch. A new
 * format each time: a command prints a few of them, and a kept one would keep the time zone it was made in.
 */
export function formatTime(ms: number, language: CliLanguage): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}
