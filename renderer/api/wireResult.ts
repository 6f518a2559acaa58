import type { WireResult } from '../../app/control/result.ts';
import { ApiError, clientErrorCodes } from './ApiError.ts';

/**
 * Narrows an untrusted value (a JSON body, a structured-clone from the preload) to a WireResult. The renderer
 * has no zod at runtime, so the check is by hand and deliberately shallow: the host validated the value already.
 */
export function isWireResult(value: unknown): value is WireResult<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record['ok'] === true) return 'value' in record;
  if (record['ok'] !== false) return false;
  const error = record['error'];
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as Record<string, unknown>;
  return typeof fields['code'] === 'string' && typeof fields['message'] === 'string';
}

/** Returns the value of a successful result; throws an `ApiError` for a failed or malformed one. */
export function unwrapWireResult(result: unknown, callName: string): unknown {
  if (!isWireResult(result)) {
    throw new ApiError(clientErrorCodes.badResponse, `The host sent an unexpected answer to ${callName}.`);
  }
  if (result.ok) return result.value;
  throw new ApiError(result.error.code, result.error.message);
}
