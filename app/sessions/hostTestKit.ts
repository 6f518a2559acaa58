/**
 * Test kit: a real core on a temp state directory with the scripted fixture handler, and an event recorder.
 * Used by the tests of app/sessions, app/control and app/cli only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SyncEvent } from '../control/events.ts';
import { createSyncCenter, type SyncCenter, type SyncCenterOptions } from '../control/syncCenter.ts';
import { scriptedHandlerRegistration, type ScriptedHandlerOptions } from '../runtime/fixtures/scriptedHandler.ts';

/** A started core plus what it published. */
export interface TestHost extends SyncCenter {
  readonly stateDir: string;
  readonly events: SyncEvent[];
  /** Resolves at the first published event matching the predicate (already published ones count). */
  waitFor(predicate: (event: SyncEvent) => boolean): Promise<SyncEvent>;
  dispose(): Promise<void>;
}

/** Makes a fresh temp directory. */
export function tempDir(prefix = 'synccenter-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Starts a core with the scripted handler configured by `script` (more registrations via `extra.handlers`). */
export async function startTestHost(script: ScriptedHandlerOptions, extra: Partial<SyncCenterOptions> = {}, stateDir = tempDir()): Promise<TestHost> {
  const center = await createSyncCenter({ stateDir, version: '0.0.0-test', handlers: [scriptedHandlerRegistration(script)], stopGraceMs: 300, ...extra });
  const events: SyncEvent[] = [];
  const waiters: { predicate: (event: SyncEvent) => boolean; resolve: (event: SyncEvent) => void }[] = [];
  center.api.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    ...center,
    stateDir,
    events,
    waitFor(predicate) {
      const seen = events.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async dispose() {
      await center.close();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
