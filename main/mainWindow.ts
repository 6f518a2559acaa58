/**
 * Creates the Sync Center window with hardened preferences and restores its last size.
 */
import { BrowserWindow, shell } from 'electron';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appOrigin, hardenWebContents, hardenedWebPreferences } from './windowSecurity.ts';

/** Where the window's size and position are remembered. */
export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

const defaultBounds: WindowBounds = { width: 1100, height: 720 };

/** Reads remembered bounds; anything unreadable falls back to the default size. */
export function readBounds(file: string): WindowBounds {
  if (!existsSync(file)) return defaultBounds;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<WindowBounds>;
    const width = Number(value.width);
    const height = Number(value.height);
    if (!Number.isFinite(width) || !Number.isFinite(height) || width < 480 || height < 360) return defaultBounds;
    const bounds: WindowBounds = { width, height };
    if (Number.isFinite(value.x) && Number.isFinite(value.y)) Object.assign(bounds, { x: value.x, y: value.y });
    return bounds;
  } catch {
    return defaultBounds;
  }
}

/**
 * Opens the window on `app://sync-center/index.html`. Its web preferences all come from `hardenedWebPreferences`
 * (context isolation, sandbox, no Node), and `hardenWebContents` denies every new window (middle clicks
 * included) and hands only http(s) links to the system browser; main/windowSecurity.test.ts and
 * main/securityChecklist.test.ts prove both. The Electronegativity scan cannot follow the function call, hence
 * the reviewed `eng-disable` notes below (app/proof/security.test.ts runs the scan).
 */
export function createMainWindow(options: { preloadPath: string; boundsFile: string; iconPath: string; title: string }): BrowserWindow {
  const window = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    ...readBounds(options.boundsFile),
    minWidth: 640,
    minHeight: 420,
    title: options.title,
    icon: options.iconPath,
    show: false,
    backgroundColor: '#1f2329',
    webPreferences: hardenedWebPreferences(options.preloadPath),
  });
  hardenWebContents(window.webContents, (url) => void shell.openExternal(url)); // eng-disable OPEN_EXTERNAL_JS_CHECK
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    writeFileSync(options.boundsFile, JSON.stringify(bounds));
  });
  void window.loadURL(`${appOrigin}/index.html`);
  return window;
}

/** Resolves a path inside the packaged or development app folder. */
export function appPath(appRoot: string, ...segments: string[]): string {
  return path.join(appRoot, ...segments);
}
