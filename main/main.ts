/**
 * Electron main process: the composition root. It starts the core with Electron's paths, serves the renderer
 * from app://, registers the one IPC adapter and forwards core events to the window. Nothing else lives here.
 */
import { app, ipcMain, protocol } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcChannel } from '../app/control/contract.ts';
import { createSyncCenter } from '../app/control/syncCenter.ts';
import { serveAppRequest } from './appProtocol.ts';
import { registerIpc } from './ipc.ts';
import { createMainWindow } from './mainWindow.ts';
import { appScheme, isAppUrl } from './windowSecurity.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Bundled layout: out/main/main.js, out/preload/preload.cjs, out/renderer/, resources/.
const appRoot = path.resolve(here, '..', '..');
const rendererDir = path.join(appRoot, 'out', 'renderer');

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  protocol.handle(appScheme, (request) => serveAppRequest(rendererDir, request));
  const core = await createSyncCenter({ stateDir: app.getPath('userData'), version: app.getVersion(), transport: 'ipc' });
  const removeIpc = registerIpc(ipcMain, core.api, isAppUrl);
  const window = createMainWindow({
    preloadPath: path.join(appRoot, 'out', 'preload', 'preload.cjs'),
    boundsFile: path.join(app.getPath('userData'), 'window-bounds.json'),
    iconPath: path.join(appRoot, 'resources', 'icon.png'),
    title: 'Sync Center',
  });
  const unsubscribe = core.api.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(ipcChannel.event, event);
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    unsubscribe();
    removeIpc();
    void core.close();
  });
}

start().catch((error: unknown) => {
  console.error(`Sync Center could not start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
