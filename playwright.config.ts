/**
 * Two end-to-end projects: `web` (the renderer in Chromium against the web host and a real core on temp
 * directories; runs everywhere) and `electron` (the packaged main process via `_electron`; runs where an
 * Electron binary exists, else its specs report as skipped with the reason).
 */
import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/lib/chromium.mjs';

const executablePath = process.env.SYNCCENTER_CHROMIUM ?? findChromium() ?? undefined;

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'out/test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: 'out/test-results/e2e.json' }]],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'web',
      testDir: 'e2e/web',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          ...(executablePath ? { executablePath } : {}),
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
        },
      },
    },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
