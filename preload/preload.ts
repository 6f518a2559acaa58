/**
 * The preload script: exposes the bridge as `window.syncCenter` and nothing else.
 * Bundled to one CommonJS file because sandboxed preloads cannot load modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('syncCenter', buildBridge(ipcRenderer));
