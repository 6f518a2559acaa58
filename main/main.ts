/**
 * Electron main process: the composition root. It starts the core with Electron's paths and the built-in
 * handlers, serves the renderer from app://, registers the one IPC adapter, opens the control endpoint for the
 * CLI and other processes, and wires the window, tray and notifications. Nothing else lives here.
 */
import { app, dialog, ipcMain, Notification, powerMonitor, protocol, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcChannel } from '../app/control/contract.ts';
import { createEventBatcher } from '../app/control/eventBatcher.ts';
import { createSyncCenter } from '../app/control/syncCenter.ts';
import { startControlEndpoint } from '../app/host/controlEndpoint.ts';
import { handlerRegistrations, resolveDataDir } from '../app/host/hostSettings.ts';
import { serveAppRequest } from './appProtocol.ts';
import { createMainI18n } from './i18n.ts';
import { registerIpc } from './ipc.ts';
import { createMainWindow } from './mainWindow.ts';
import { powerMonitorPort } from './powerMonitorPort.ts';
import { noticeFor } from './syncNotifications.ts';
import { createTray } from './tray.ts';
import { appOrigin, appScheme, isAppUrl } from './windowSecurity.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled layout: out/main/main.js beside out/app/, out/preload/preload.cjs, out/renderer/; resources/ at the root.
const appRoot = path.resolve(here, '..', '..');
const rendererDir = path.join(appRoot, 'out', 'renderer');
const resourcesDir = path.join(appRoot, 'resources');

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const { t } = await createMainI18n(app.getLocale());
  // The built-in handlers write progress and events in the host's language; their workers inherit this.
  process.env.SYNCCENTER_LANG ??= app.getLocale();
  const log = (message: string): void => console.error(`[sync-center] ${message}`);
  protocol.handle(appScheme, (request) => serveAppRequest(rendererDir, request));
  // The same state directory as the CLI's (SYNCCENTER_HOME, else ~/.local/share/synccenter): `synccenter`
  // commands reach this app through its control endpoint there, and what they set up shows here.
  const stateDir = resolveDataDir(undefined, process.env);
  // Schedules and file watching run here; idle, lock/unlock and power come from Electron's powerMonitor.
  const automation = { system: powerMonitorPort(powerMonitor) };
  const core = await createSyncCenter({ stateDir, version: app.getVersion(), transport: 'ipc', handlers: handlerRegistrations(process.env), automation, log: (_level, message) => log(message) });
  const endpoint = await startControlEndpoint(core.api, stateDir);
  const window = createMainWindow({
    preloadPath: path.join(appRoot, 'out', 'preload', 'preload.cjs'),
    boundsFile: path.join(stateDir, 'window-bounds.json'),
    iconPath: path.join(resourcesDir, 'icon.png'),
    title: 'Sync Center',
  });
  const pickFolder = async (): Promise<string | null> => {
    const chosen = await dialog.showOpenDialog(window, { properties: ['openDirectory', 'createDirectory'] });
    return chosen.canceled ? null : (chosen.filePaths[0] ?? null);
  };
  const removeIpc = registerIpc(ipcMain, core.api, isAppUrl, { pickFolder, openPath: (location) => shell.openPath(location) });
  const show = (view?: 'conflicts' | 'results'): void => {
    if (view !== undefined) void window.loadURL(`${appOrigin}/index.html#${view}`);
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const removeTray = createTray({ api: core.api, resourcesDir, t, log, actions: { openWindow: () => show(), showConflicts: () => show('conflicts'), quit: () => app.quit() } });
  const toWindow = createEventBatcher((events) => {
    if (!window.isDestroyed()) window.webContents.send(ipcChannel.event, events);
  });
  const unsubscribe = core.api.subscribe((event) => {
    toWindow.push(event);
    const notice = noticeFor(event, t);
    if (notice !== null && Notification.isSupported()) {
      const notification = new Notification({ title: notice.title, body: notice.body, icon: path.join(resourcesDir, 'icon.png') });
      notification.on('click', () => show(notice.target));
      notification.show();
    }
  });
  app.on('second-instance', () => show());
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    unsubscribe();
    toWindow.close();
    removeTray();
    removeIpc();
    void endpoint.close().finally(() => core.close());
  });
}

start().catch((error: unknown) => {
  console.error(`Sync Center could not start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
