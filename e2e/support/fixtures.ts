/**
 * Playwright fixtures for the web project: a fresh `synccenter serve` per test, the window opened from its URL,
 * and a screenshot saved after every test (light theme unless the test changes it).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, serve, type ServedHost, type ServeOptions } from './webHost.ts';

export const screenshotDir = path.join(repoRoot, 'out', 'test-results', 'screenshots');

interface Fixtures {
  serveOptions: ServeOptions;

  host: ServedHost;
  window: Page;
}

export const test = base.extend<Fixtures>({
  serveOptions: [{}, { option: true }],
  host: async ({ serveOptions }, use) => {
    const host = await serve(serveOptions);
    await use(host);
    await host.stop();
  },
  window: async ({ page, host }, use, testInfo) => {
    await page.goto(host.url);
    await use(page);
    mkdirSync(screenshotDir, { recursive: true });
    const name = `${testInfo.project.name}-${testInfo.titlePath.slice(1).join('-')}`.replace(/[^A-Za-z0-9_-]+/g, '_');
    const file = path.join(screenshotDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach('screenshot', { path: file, contentType: 'image/png' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: file.replace(/\.png$/, '-dark.png'), fullPage: true });
  },
});

export { expect };
