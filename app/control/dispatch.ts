/**
 * Server side of every transport: validates the call name and request against the contract, runs the call,
 * and returns a `WireResult`. IPC, the web host and the control endpoint all go through here.
 */
import { calls, isCallName, type CallName, type ControlCalls } from './contract.ts';
import { hostText } from '../runtime/hostText.ts';
import { describeIssues, parseInHostLanguage } from './requestIssues.ts';
import { toWireError, type WireResult } from './result.ts';

/** Runs one untrusted call against the API. Never throws. */
export async function dispatchCall(api: ControlCalls, name: unknown, rawRequest: unknown): Promise<WireResult<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'UNKNOWN_CALL', message: hostText()('error.unknownCall', { call: String(name).slice(0, 80) }) } };
  }
  const parsed = parseInHostLanguage(calls[name].request, rawRequest ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'BAD_REQUEST', message: hostText()('error.badRequest', { call: name, issues: describeIssues(parsed.error) }) } };
  }
  try {
    const call = api[name] as (request: unknown) => Promise<unknown>;
    const value = await call.call(api, parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

/** The same, typed, for in-process callers that already hold a call name. */
export function dispatchKnownCall<K extends CallName>(api: ControlCalls, name: K, request: unknown): Promise<WireResult<unknown>> {
  return dispatchCall(api, name, request);
}
