/**
 * Two end-to-end projects: `web` (the renderer in Chromium against the web host and a real core on temp
 * directories; runs everywhere) and `electron` (the built main process via `_electron`, running the same specs
 * plus its own; runs where an Electron binary exists, else its specs report as skipped with the reason).
 */
import { defineConfig } from '@playwright/test';
import { findChromium } from './scripts/lib/chromium.mjs';

const executablePath = process.env.SYNCCENTER_CHROMIUM ?? findChromium() ?? undefined;

const chromium = {
  browserName: 'chromium' as const,
  viewport: { width: 1280, height: 800 },
  launchOptions: {
    ...(executablePath ? { executablePath } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  },
};

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
    { name: 'web', testDir: 'e2e/web', use: chromium },
    // The web specs mirrored in the desktop app (e2e/support/fixtures.ts opens the app's window instead), plus the
    // Electron-only ones. Chromium is configured here too only because the shared `window` fixture names `page`.
    { name: 'electron', testDir: 'e2e', testMatch: ['electron/**/*.spec.ts', 'web/**/*.spec.ts'], use: chromium },
  ],
});
