/**
 * How the CLI reaches a host: the control endpoint of a running desktop app or `serve` instance if one answers
 * for the data directory, else a core started in this process with the same handler registrations.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { ControlApi } from '../control/contract.ts';
import { dispatchCall } from '../control/dispatch.ts';
import { createRemoteApi } from '../control/remoteApi.ts';
import { ControlError } from '../control/result.ts';
import { createSyncCenter, type HandlerRegistration, type SyncCenter } from '../control/syncCenter.ts';
import { connectControlEndpoint } from '../host/controlEndpointClient.ts';
import { builtInHandlers } from '../runtime/builtInHandlers.ts';
import { defaultScript, scriptedHandlerRegistration } from '../runtime/fixtures/scriptedHandler.ts';
import { legacyHandlerRegistration } from '../runtime/fixtures/legacyMailHandler.ts';

/** An open host, however reached. */
export interface HostConnection {
  readonly api: ControlApi;
  readonly mode: 'endpoint' | 'inProcess';
  /** The in-process core, when there is one (serve needs it). */
  readonly center: SyncCenter | null;
  close(): Promise<void>;
}

export const version = '0.1.0';

/** `--data-dir`, else SYNCCENTER_HOME, else the XDG data directory. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined && flag.length > 0) return path.resolve(flag);
  if (env.SYNCCENTER_HOME !== undefined && env.SYNCCENTER_HOME.length > 0) return path.resolve(env.SYNCCENTER_HOME);
  const xdg = env.XDG_DATA_HOME !== undefined && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(homedir(), '.local', 'share');
  return path.join(xdg, 'synccenter');
}

/**
 * The handlers an in-process core hosts: the built-ins, then the test fixtures named in SYNCCENTER_FIXTURES
 * (comma-separated: `scripted`, `legacy`), then the registrations listed in the JSON file SYNCCENTER_HANDLERS.
 */
export function handlerRegistrations(env: NodeJS.ProcessEnv): HandlerRegistration[] {
  const fixtures = new Set((env.SYNCCENTER_FIXTURES ?? '').split(',').map((name) => name.trim()).filter(Boolean));
  const registrations = [...builtInHandlers()];
  if (fixtures.has('scripted')) registrations.push(scriptedHandlerRegistration(defaultScript));
  if (fixtures.has('legacy')) registrations.push(legacyHandlerRegistration());
  if (env.SYNCCENTER_HANDLERS !== undefined && env.SYNCCENTER_HANDLERS.length > 0) registrations.push(...readRegistrations(env.SYNCCENTER_HANDLERS));
  return registrations;
}

function readRegistrations(file: string): HandlerRegistration[] {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as HandlerRegistration[];
    if (!Array.isArray(value)) throw new Error('expected an array of {id, module, exportName?, options?}');
    return value.map((entry) => ({ ...entry, module: path.isAbsolute(entry.module) || !entry.module.startsWith('.') ? entry.module : path.resolve(path.dirname(file), entry.module) }));
  } catch (error) {
    throw new ControlError('BAD_REQUEST', `SYNCCENTER_HANDLERS ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Opens the host for a command; `preferEndpoint` false always starts a core here (serve). `automation` runs
 * schedules and file watching in that core (serve only: a one-shot command must not fire app-start schedules).
 */
export async function openHost(dataDir: string, env: NodeJS.ProcessEnv, preferEndpoint: boolean, automation = false): Promise<HostConnection> {
  const remote = preferEndpoint ? await connectControlEndpoint(dataDir) : null;
  if (remote !== null) return { api: remote.api, mode: 'endpoint', center: null, close: async () => remote.close() };
  const center = await createSyncCenter({ stateDir: dataDir, version, handlers: handlerRegistrations(env), transport: 'inProcess', automation: automation ? {} : undefined });
  // Every request is checked against the contract here too, as every transport does (dispatchCall): bad
  // arguments become BAD_REQUEST (exit 2) with the offending field named, never a store error.
  const api = createRemoteApi((name, request) => dispatchCall(center.api, name, request), (listener) => center.api.subscribe(listener));
  return { api, mode: 'inProcess', center, close: () => center.close() };
}
