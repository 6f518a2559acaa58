/**
 * Locale-aware formatting through `Intl`, in the window's current language. Formatters are cached per language
 * because progress streams re-render rows many times a second.
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let formatter = cache.get(key) as T | undefined;
  if (formatter === undefined) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

/** A whole number with grouping (1 234 in French, 1,234 in English). */
export function formatCount(value: number, language: string): string {
  return cached(`count:${language}`, () => new Intl.NumberFormat(language, { maximumFractionDigits: 0 })).format(value);
}

/** A ratio 0..1 as a percentage without decimals (42 %, 42%). */
export function formatPercent(ratio: number, language: string): string {
  return cached(`percent:${language}`, () => new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 })).format(ratio);
}

/** Date and time for tables: short date plus time. */
export function formatDateTime(epochMs: number, language: string): string {
  return cached(`datetime:${language}`, () => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' })).format(epochMs);
}

/**
 * A time to come, as short as is unambiguous: the time alone today ("8:15 AM"), the weekday and time within the
 * coming week ("Wed 8:15 AM", "mer. 08:15"), else the date and time.
 */
export function formatUpcoming(epochMs: number, nowMs: number, language: string): string {
  const at = new Date(epochMs);
  const now = new Date(nowMs);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const days = (new Date(at.getFullYear(), at.getMonth(), at.getDate()).getTime() - startOfToday) / (24 * 3600_000);
  if (Math.round(days) === 0) return cached(`time:${language}`, () => new Intl.DateTimeFormat(language, { timeStyle: 'short' })).format(epochMs);
  if (days > 0 && days < 7) return cached(`weekdaytime:${language}`, () => new Intl.DateTimeFormat(language, { weekday: 'short', hour: 'numeric', minute: '2-digit' })).format(epochMs);
  return formatDateTime(epochMs, language);
}

/** The full date and time, for tooltips. */
export function formatFullDateTime(epochMs: number, language: string): string {
  return cached(`fulldatetime:${language}`, () => new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'medium' })).format(epochMs);
}

const units: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/**
 * "5 minutes ago", "yesterday", "il y a 3 heures": how long ago, in the largest unit that fits. Under a minute
 * reads "now" because seconds would make rows flicker as time passes.
 */
export function formatRelative(epochMs: number, nowMs: number, language: string): string {
  const formatter = cached(`relative:${language}`, () => new Intl.RelativeTimeFormat(language, { numeric: 'auto' }));
  const elapsed = nowMs - epochMs;
  for (const [unit, size] of units) {
    if (Math.abs(elapsed) >= size) return formatter.format(-Math.round(elapsed / size), unit);
  }
  return formatter.format(0, 'second');
}

const sizeUnits = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file size in the largest decimal unit that keeps it at or above 1 (2.4 MB, 2,4 Mo), as file managers show it. */
export function formatSize(bytes: number, language: string): string {
  let unit = 0;
  let value = bytes;
  while (value >= 1000 && unit < sizeUnits.length - 1) {
    value /= 1000;
    unit++;
  }
  const name = sizeUnits[unit] ?? 'byte';
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return cached(`size:${name}:${digits}:${language}`, () => new Intl.NumberFormat(language, { style: 'unit', unit: name, unitDisplay: name === 'byte' ? 'long' : 'short', maximumFractionDigits: digits })).format(value);
}

/** How long something took, in the largest unit that reads well: "4.2 sec", "3 min", "1.5 hr" ("4,2 s" in French). */
export function formatDuration(ms: number, language: string): string {
  const [unit, size] = ms < 60_000 ? (['second', 1000] as const) : ms < 3600_000 ? (['minute', 60_000] as const) : (['hour', 3600_000] as const);
  const value = ms / size;
  const digits = value < 10 ? 1 : 0;
  return cached(`duration:${unit}:${digits}:${language}`, () => new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: digits })).format(value);
}

/** The share of work done as 0..1, or null when the progress is indeterminate (`max` 0). */
export function progressRatio(progress: { current: number; max: number } | null): number | null {
  if (progress === null || progress.max <= 0) return null;
  return Math.min(1, Math.max(0, progress.current / progress.max));
}
