/**
 * Launches the built Electron app with a fresh user-data directory, or tells the spec why it cannot.
 */
import { _electron, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/lib/electronBinary.mjs';
import { repoRoot } from './webHost.ts';

export const electronBinary = findElectronBinary();
/** Why the Electron project cannot run here, or null when it can. */
export const electronUnavailable: string | null = electronBinary.path === null ? `Electron binary unavailable: ${electronBinary.reason}` : null;

/** Launches the app; the caller closes it with `close()`. */
export async function launchApp(): Promise<{ app: ElectronApplication; close(): Promise<void> }> {
  const userData = mkdtempSync(path.join(tmpdir(), 'synccenter-electron-'));
  const app = await _electron.launch({
    executablePath: electronBinary.path ?? undefined,
    args: [path.join(repoRoot, 'out', 'main', 'main.js'), `--user-data-dir=${userData}`],
    env: { ...process.env, ELECTRON_DISABLE_SECURITY_WARNINGS: 'false' },
  });
  return {
    app,
    close: async () => {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    },
  };
}
