/**
 * The wire shape of every call's outcome across a process boundary: a thrown error would lose all but its
 * message, so errors travel as data with a stable code.
 */
import { z } from 'zod';
import { hostLocale, hostText, languageOf } from '../runtime/hostText.ts';

/** Stable error codes a caller can branch on. Handlers and core modules add their own domain codes. */
export const errorCodeSchema = z.string().min(1).max(64);

export const wireErrorSchema = z.object({ code: errorCodeSchema, message: z.string() });
export type WireError = z.infer<typeof wireErrorSchema>;

export type WireResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/** An error with a stable code that crosses transports intact. */
export class ControlError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
  }
}

/** Turns any thrown value into a wire error, keeping codes of errors that carry one. */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' && code.length > 0 ? code : 'INTERNAL', message: error.message };
  }
  return { code: 'INTERNAL', message: String(error) };
}

const frenchIssues = z.locales.fr().localeError;

/** Validates `value` with `schema`, the issues worded in the host's language (`hostLocale`; English or French). */
export function parseInHostLanguage<T extends z.ZodType>(schema: T, value: unknown): z.ZodSafeParseResult<z.output<T>> {
  return languageOf(hostLocale()) === 'fr' ? schema.safeParse(value, { error: frenchIssues }) : schema.safeParse(value);
}

/**
 * One issue's text in the host's language: the contract's own messages are catalog keys (`schema.*`, so that the
 * schemas stay free of i18n and usable anywhere), zod's are worded by `parseInHostLanguage`.
 */
export function issueText(issue: z.core.$ZodIssue): string {
  if (!issue.message.startsWith('schema.')) return issue.message;
  const bounds = issue.code === 'too_small' ? { minimum: Number(issue.minimum) } : issue.code === 'too_big' ? { maximum: Number(issue.maximum) } : {};
  return hostText()(issue.message, bounds);
}

/** Formats zod issues into one readable line naming each offending field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : hostText()('error.wholeRequest')}: ${issueText(issue)}`)
    .join('; ');
}
