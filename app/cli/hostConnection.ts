/**
 * How the CLI reaches a host: the control endpoint of a running desktop app or `serve` instance if one answers
 * for the data directory, else a core started in this process with the same handler registrations.
 */
import type { ControlApi } from '../control/contract.ts';
import { dispatchCall } from '../control/dispatch.ts';
import { createRemoteApi } from '../control/remoteApi.ts';
import { createSyncCenter, type SyncCenter } from '../control/syncCenter.ts';
import { connectControlEndpoint } from '../host/controlEndpointClient.ts';
import { handlerRegistrations } from '../host/hostSettings.ts';
import { hostLocale, languageOf } from '../runtime/hostText.ts';

/** An open host, however reached. */
export interface HostConnection {
  readonly api: ControlApi;
  readonly mode: 'endpoint' | 'inProcess';
  /** The in-process core, when there is one (serve needs it). */
  readonly center: SyncCenter | null;
  close(): Promise<void>;
}

export const version = '0.1.0';

/**
 * Opens the host for a command; `preferEndpoint` false always starts a core here (serve). `automation` runs
 * schedules and file watching in that core (serve only: a one-shot command must not fire app-start schedules).
 */
export async function openHost(dataDir: string, env: NodeJS.ProcessEnv, preferEndpoint: boolean, automation = false): Promise<HostConnection> {
  // Answered in the CLI's own language, as its own text is (a `C.UTF-8` locale: English), not the window's.
  const remote = preferEndpoint ? await connectControlEndpoint(dataDir, languageOf(hostLocale(env))) : null;
  if (remote !== null) return { api: remote.api, mode: 'endpoint', center: null, close: async () => remote.close() };
  const center = await createSyncCenter({ stateDir: dataDir, version, handlers: handlerRegistrations(env), transport: 'inProcess', automation: automation ? {} : undefined });
  // Every request is checked against the contract here too, as every transport does (dispatchCall): bad
  // arguments become BAD_REQUEST (exit 2) with the offending field named, never a store error.
  const api = createRemoteApi((name, request) => dispatchCall(center.api, name, request), (listener) => center.api.subscribe(listener));
  return { api, mode: 'inProcess', center, close: () => center.close() };
}
