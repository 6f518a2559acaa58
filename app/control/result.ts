/**
 * The wire shape of every call's outcome across a process boundary: a thrown error would lose all but its
 * message, so errors travel as data with a stable code.
 */
import { z } from 'zod';

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
