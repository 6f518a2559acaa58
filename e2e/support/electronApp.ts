/**
 * Launches the built Electron app with a fresh user-data directory and a fresh Sync Center state directory
 * (SYNCCENTER_HOME), or tells the spec why it cannot.
 */
import { _electron, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/lib/electronBinary.mjs';
import { handlerEnvironment, repoRoot, type ServeOptions } from './webHost.ts';

export const electronBinary = findElectronBinary();
/** True where no Electron binary can be found: every test of the electron project skips, with `noElectronReason`. */
export const noElectronBinary: boolean = electronBinary.path === null;
/** The checkable condition the electron project's tests skip on, e.g. "no Electron binary at node_modules/…". */
export const noElectronReason = `Electron binary unavailable: ${electronBinary.path === null ? electronBinary.reason : 'none (the binary was found)'}`;

/** A launched app and its state directory; the caller closes it with `close()`. */
export interface LaunchedApp {
  readonly app: ElectronApplication;
  readonly stateDir: string;
  close(): Promise<void>;
}

/** Launches the app; `options` registers the scripted fixture (its build in `out/app`) as `serve` would. */
export async function launchApp(options: ServeOptions = {}): Promise<LaunchedApp> {
  const userData = mkdtempSync(path.join(tmpdir(), 'synccenter-electron-'));
  const stateDir = mkdtempSync(path.join(tmpdir(), 'synccenter-electron-state-'));
  const handlers = handlerEnvironment(stateDir, options, path.join(repoRoot, 'out', 'app', 'runtime', 'fixtures', 'scriptedHandler.js'));
  const app = await _electron.launch({
    executablePath: electronBinary.path ?? undefined,
    args: [path.join(repoRoot, 'out', 'main', 'main.js'), `--user-data-dir=${userData}`, '--lang=en-US'],
    env: { ...process.env, ...handlers, SYNCCENTER_HOME: stateDir, SYNCCENTER_LANG: 'en', ELECTRON_DISABLE_SECURITY_WARNINGS: 'false' },
  });
  return {
    app,
    stateDir,
    close: async () => {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
