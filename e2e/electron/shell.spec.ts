import { expect, test } from '@playwright/test';
import { launchApp, noElectronBinary, noElectronReason } from '../support/electronApp.ts';

// The window's views run in this project through the mirrored e2e/web specs; this one checks what only Electron has.
test.skip(noElectronBinary, noElectronReason);

test('security smoke: no Node in the page, off-origin navigation blocked, unknown call refused', async () => {
  const { app, close } = await launchApp();
  try {
    const window = await app.firstWindow();
    const globals = await window.evaluate(() => ({
      require: typeof (globalThis as Record<string, unknown>).require,
      process: typeof (globalThis as Record<string, unknown>).process,
      ipcRenderer: typeof (globalThis as Record<string, unknown>).ipcRenderer,
      bridgeFrozen: Object.isFrozen((globalThis as Record<string, unknown>).syncCenter),
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined', bridgeFrozen: true });
    const before = window.url();
    await window.evaluate(() => {
      location.href = 'https://example.org/';
    });
    await window.waitForTimeout(500);
    expect(window.url()).toBe(before);
    const unknown = await window.evaluate(async () => {
      const bridge = (globalThis as unknown as { syncCenter: Record<string, unknown> }).syncCenter;
      return typeof bridge.formatDisk;
    });
    expect(unknown).toBe('undefined');
  } finally {
    await close();
  }
});
