/**
 * Client side of every transport: builds a `ControlApi` from a function that sends one call and returns its
 * `WireResult`, plus a subscribe function. Used by the renderer (IPC or web host) and the CLI (endpoint).
 * Pure: no Node, DOM or Electron.
 */
import { callNames, type CallName, type ControlApi, type ControlCalls, type Unsubscribe } from './contract.ts';
import type { SyncEvent } from './events.ts';
import { ControlError, type WireResult } from './result.ts';

/** Sends one call over some transport. */
export type SendCall = (name: CallName, request: unknown) => Promise<WireResult<unknown>>;

/** Builds the typed API; a failed call rejects with a `ControlError` carrying the wire code. */
export function createRemoteApi(send: SendCall, subscribe: (listener: (event: SyncEvent) => void) => Unsubscribe): ControlApi {
  const entries = callNames.map((name) => [
    name,
    async (request: unknown) => {
      const result = await send(name, request ?? {});
      if (result.ok) return result.value;
      throw new ControlError(result.error.code, result.error.message);
    },
  ]);
  const calls = Object.fromEntries(entries) as ControlCalls;
  return Object.freeze({ ...calls, subscribe });
}
