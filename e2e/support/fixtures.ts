/**
 * Playwright fixtures shared by both projects. In `web`, a fresh `synccenter serve` per test and the window opened
 * from its URL in Chromium; in `electron`, the built app launched with a fresh state directory and its first
 * window (the same specs, mirrored; skipped with the reason where no Electron binary exists). A screenshot is saved
 * after every test, light and dark.
 */
import { test as base, expect, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchApp, noElectronBinary, noElectronReason } from './electronApp.ts';
import { repoRoot, serve, type ServeOptions } from './webHost.ts';

export const screenshotDir = path.join(repoRoot, 'out', 'test-results', 'screenshots');

/** True in the `electron` project, where the window is the desktop app's. */
export const inElectron = (testInfo: TestInfo): boolean => testInfo.project.name === 'electron';

/** Where the window's core keeps its state, and the URL the window opens (web) or the app it is (Electron). */
export interface Host {
  readonly dataDir: string;
  /** The web host's origin; empty in Electron (the window is served from app://). */
  readonly origin: string;
  readonly url: string;
  /** The launched desktop app, in the electron project. */
  readonly app?: ElectronApplication;
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
      if (inElectron(testInfo)) testInfo.skip(noElectronBinary, noElectronReason);
      await use();
    },
    { auto: true },
  ],
  host: async ({ serveOptions }, use, testInfo) => {
    if (inElectron(testInfo)) {
      const launched = await launchApp(serveOptions);
      await use({ dataDir: launched.stateDir, origin: '', url: '', app: launched.app });
      await launched.close();
      return;
    }
    const served = await serve(serveOptions);
    await use(served);
    await served.stop();
  },
  window: async ({ page, host }, use, testInfo) => {
    const window = host.app === undefined ? page : await host.app.firstWindow();
    if (host.app === undefined) await page.goto(host.url);
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

export { expect };
