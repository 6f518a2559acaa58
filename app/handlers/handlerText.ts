/**
 * The built-in handlers' user-visible text (progress, events, conflict descriptions) in English and French,
 * through i18next. Handlers run in the core, so the language comes from the environment the host sets:
 * `SYNCCENTER_LANG` (Electron sets it from the system locale), else `LC_ALL`, `LC_MESSAGES`, `LANG` (`hostLocale`).
 */
import type { TFunction } from 'i18next';
import { hostLocale, languageOf, textCatalog } from '../runtime/hostText.ts';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** A translator for the host's language (or the one given). */
export const handlerText = textCatalog('handlers', en, fr);

/** User-visible text as data: a key of the handlers' locales and its values, translated where it is shown. */
export interface TextData {
  readonly key: string;
  /** Interpolated values; a value that is text as data itself is translated first (a reason inside a sentence). */
  readonly values: Readonly<Record<string, string | number | TextData>>;
}

/** `text` in the language of `t`; `fallback` for a key this build lacks. */
export function translateText(text: TextData, fallback: string, t: TFunction<'handlers'> = handlerText()): string {
  const values = Object.fromEntries(Object.entries(text.values).map(([name, value]) => [name, typeof value === 'object' ? translateText(value, '', t) : value]));
  return t(text.key as 'event.noticeName', { ...values, defaultValue: fallback });
}

/** Whether `value` has the shape of `TextData` (an error's `text`, say). */
export function isTextData(value: unknown): value is TextData {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string' && typeof (value as { values?: unknown }).values === 'object';
}

/** A byte count for progress text ("12.5 MB"), in the host's language. */
export function formatBytes(bytes: number, locale: string | undefined = hostLocale()): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let index = 0;
  while (value >= 1000 && index < units.length - 1) {
    value /= 1000;
    index += 1;
  }
  // Bytes in words ("512 bytes", "512 octets"): the short English form says "512 byte".
  return new Intl.NumberFormat(languageOf(locale), { style: 'unit', unit: units[index], unitDisplay: index === 0 ? 'long' : 'short', maximumFractionDigits: index === 0 ? 0 : 1 }).format(value);
}

/** A rough duration for an ETA ("about 3 min"), in the host's language. */
export function formatEta(ms: number, locale?: string): string {
  const t = handlerText(locale);
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return t('progress.eta.seconds', { count: seconds });
  if (seconds < 90 * 60) return t('progress.eta.minutes', { count: Math.round(seconds / 60) });
  return t('progress.eta.hours', { count: Math.round(seconds / 3600) });
}
