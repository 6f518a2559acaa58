/**
 * Playwright fixtures shared by both projects. In `web`, a fresh `synccenter serve` per test and the window opened
 * from its URL in Chromium; in `electron`, the built app launched with a fresh state directory and its first
 * window (the same specs, mirrored; skipped with the reason where no Electron binary exists). A screenshot is saved
 * after every test, light and dark.
 */
import { test as base, expect, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { electronUnavailable, launchApp } from './electronApp.ts';
import { repoRoot, serve, type ServeOptions } from './webHost.ts';

export const screenshotDir = path.join(repoRoot, 'out', 'test-results', 'screenshots');

/** True in the `electron` project, where the window is the desktop app's. */
export const inElectron = (testInfo: TestInfo): boolean => testInfo.project.name === 'electron';

/** Where the window's core keeps its state, and (web only) the URL the window was opened from. */
export interface Host {
  readonly dataDir: string;
  /** The web host's origin; empty in Electron (the window is served from app://). */
  readonly origin: string;
  readonly url: string;
}

interface Fixtures {
  serveOptions: ServeOptions;
  host: Host;
  window: Page;
}

export const test = base.extend<Fixtures & { electronGate: void }>({
  serveOptions: [{}, { option: true }],
  // Runs first: the electron project's tests skip, with the reason, where no Electron binary exists.
  electronGate: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use, testInfo) => {
      if (inElectron(testInfo)) testInfo.skip(electronUnavailable !== null, electronUnavailable ?? '');
      await use();
    },
    { auto: true },
  ],
  host: async ({ serveOptions }, use, testInfo) => {
    if (inElectron(testInfo)) {
      const launched = await launchApp(serveOptions);
      electronApps.set(testInfo.testId, launched.app);
      await use({ dataDir: launched.stateDir, origin: '', url: '' });
      electronApps.delete(testInfo.testId);
      await launched.close();
      return;
    }
    const served = await serve(serveOptions);
    await use(served);
    await served.stop();
  },
  window: async ({ page, host }, use, testInfo) => {
    const app = electronApps.get(testInfo.testId);
    const window = app === undefined ? page : await app.firstWindow();
    if (app === undefined) await page.goto(host.url);
    await use(window);
    mkdirSync(screenshotDir, { recursive: true });
    const name = `${testInfo.project.name}-${testInfo.titlePath.slice(1).join('-')}`.replace(/[^A-Za-z0-9_-]+/g, '_');
    const file = path.join(screenshotDir, `${name}.png`);
    await window.screenshot({ path: file, fullPage: true });
    await testInfo.attach('screenshot', { path: file, contentType: 'image/png' });
    await window.emulateMedia({ colorScheme: 'dark' });
    await window.screenshot({ path: file.replace(/\.png$/, '-dark.png'), fullPage: true });
  },
});

/** The Electron app a test's `host` launched, for its `window` (fixtures pass values, not the app itself). */
const electronApps = new Map<string, ElectronApplication>();

export { expect };
