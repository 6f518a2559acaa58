/**
 * fast-check arbitraries for fuzzing the control contract over every transport (IPC in main/, the web host and
 * the control endpoint here): call names, known and hostile, and request payloads that the contract refuses.
 */
import fc from 'fast-check';
import { callNames, calls, isCallName, type CallName } from '../control/contract.ts';

/** Names a caller may send: every real call, and hostile or random ones. */
export const callNameArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...callNames) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '../startSyncAll', 'startSyncAll ', 'STARTSYNCALL', 'subscribe') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const fieldNames = ['handlerId', 'itemIds', 'itemId', 'enabled', 'active', 'args', 'name', 'exclude', 'conflictPolicy', 'ignoreIfAlreadySyncing', 'level', 'limit', 'ids', 'conflictId', 'choice', 'applyToAllOfKind', 'sessionId', 'progress', 'events', 'finished', 'kind', '__proto__', 'constructor'];
const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '/', '\u0000', 'x'.repeat(5000), -1, 0, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, true, null),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 5 }),
);

/** A request-shaped object: contract field names with wrong, hostile or random values. */
const nearRequestArb = fc.dictionary(fc.constantFrom(...fieldNames), hostileValue, { maxKeys: 5 });

/** Any JSON payload a caller may send, biased towards request-shaped objects. */
export const jsonPayloadArb: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: nearRequestArb }, { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) });

/** Payloads that survive `structuredClone` (what IPC carries), JSON or not. */
export const clonablePayloadArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: jsonPayloadArb },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }) },
);

/** True when the contract accepts `payload` for `name` (such a request may legitimately run and change state). */
export function isValidRequest(name: string, payload: unknown): boolean {
  return isCallName(name) && calls[name as CallName].request.safeParse(payload ?? {}).success;
}

/** The error code a refused request must carry. */
export function expectedRefusal(name: string): 'UNKNOWN_CALL' | 'BAD_REQUEST' {
  return isCallName(name) ? 'BAD_REQUEST' : 'UNKNOWN_CALL';
}

/** Fuzz runs per transport: PROOF_FUZZ_RUNS (default 1000). */
export const fuzzRuns = Number(process.env.PROOF_FUZZ_RUNS ?? 1000);
