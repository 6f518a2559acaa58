/**
 * The core's composition: stores, handler runtime, session manager and the control-API facade, built from
 * injected environment (paths, clock, logger, ids) so it runs the same under Electron, the CLI, the web host
 * and tests. Every transport receives `api` and nothing else.
 */
import { createControlApi } from './controlApi.ts';
import type { ControlApi } from './contract.ts';
import { createEventBus } from './eventBus.ts';
import type { HostInfo } from './schemas.ts';

/** Everything environmental the core needs. */
export interface SyncCenterOptions {
  /** Where the host keeps its state (events, conflicts, settings). */
  readonly stateDir: string;
  /** The product version shown in About and diagnostics. */
  readonly version: string;
  /** How callers reach this instance. */
  readonly transport?: HostInfo['transport'];
  /** Milliseconds since the epoch; injected so tests are deterministic. */
  readonly now?: () => number;
  /** Diagnostic log sink. */
  readonly log?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

/** A running core. */
export interface SyncCenter {
  readonly api: ControlApi;
  close(): Promise<void>;
}

/** Builds and starts the core. */
export async function createSyncCenter(options: SyncCenterOptions): Promise<SyncCenter> {
  const events = createEventBus((error) => options.log?.('error', `event listener failed: ${String(error)}`));
  const api = createControlApi(
    { info: { version: options.version, platform: process.platform }, events, listHandlers: () => [] },
    options.transport ?? 'inProcess',
  );
  return { api, close: async () => {} };
}
