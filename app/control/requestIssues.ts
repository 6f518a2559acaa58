/**
 * A request's problems in the host's language, for the errors the host returns (`BAD_REQUEST` and the like): zod's
 * own words through its French locale, the contract's own messages (`schema.*` keys in `schemas.ts`, which stay free
 * of i18n so the window can import them) from the host's catalog. Host side only: it reads the host's language.
 */
import { z } from 'zod';
import { hostLocale, hostText, languageOf } from '../runtime/hostText.ts';

const frenchIssues = z.locales.fr().localeError;

/** Validates `value` with `schema`, the issues worded in the host's language (`hostLocale`; English or French). */
export function parseInHostLanguage<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  return languageOf(hostLocale()) === 'fr' ? schema.safeParse(value, { error: frenchIssues }) : schema.safeParse(value);
}

/**
 * One issue's text in the host's language: the contract's own messages are catalog keys (`schema.*`, so that the
 * schemas stay free of i18n and usable anywhere), zod's are worded by `parseInHostLanguage`.
 */
export function issueText(issue: z.core.$ZodIssue, t: ReturnType<typeof hostText> = hostText()): string {
  if (!issue.message.startsWith('schema.')) return issue.message;
  const bounds = issue.code === 'too_small' ? { minimum: Number(issue.minimum) } : issue.code === 'too_big' ? { maximum: Number(issue.maximum) } : {};
  return t(issue.message, bounds);
}

/** Formats zod issues into one readable line naming each offending field. */
export function describeIssues(error: z.ZodError): string {
  const t = hostText();
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : t('error.wholeRequest')}: ${issueText(issue, t)}`).join('; ');
}
