/**
 * The error every failed control call rejects with. It carries the wire code so the UI can branch on it
 * (for example `UNAUTHORIZED` → show the "open from the serve URL" screen) instead of parsing messages.
 */
export class ApiError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/** Codes the renderer itself produces, next to the host's own (`UNKNOWN_CALL`, `BAD_REQUEST`, ...). */
export const clientErrorCodes = {
  /** The transport could not reach the host at all (network down, host stopped). */
  unreachable: 'UNREACHABLE',
  /** The host answered with something that is not a WireResult. */
  badResponse: 'BAD_RESPONSE',
  /** The call does not exist on this host (an older host, or a bridge without it). */
  unknownCall: 'UNKNOWN_CALL',
  /** The host refused the token. */
  unauthorized: 'UNAUTHORIZED',
} as const;

/** True for errors that mean "this window has no valid token", so the UI can show the right screen. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.code === clientErrorCodes.unauthorized;
}

/** The message of anything thrown, for a notice. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
