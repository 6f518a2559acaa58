/**
 * Builds the `window.syncCenter` object from the contract: one function per call and `subscribe`. It only
 * marshals: no raw `ipcRenderer` escapes, event listeners receive the payload only, and every subscription
 * returns its own unsubscribe function.
 */
import { callNames, ipcChannel, type SyncCenterBridge } from '../app/control/contract.ts';
import type { SyncEvent } from '../app/control/events.ts';

/** The part of `ipcRenderer` the bridge uses. Electron's `IpcRenderer` satisfies it. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Creates the frozen bridge object. */
export function buildBridge(ipc: IpcRendererLike): SyncCenterBridge {
  const calls = Object.fromEntries(
    callNames.map((name) => [name, (request: unknown) => ipc.invoke(ipcChannel.call, name, request ?? {})]),
  );
  const subscribe = (listener: (event: SyncEvent) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function.');
    // Main sends batches (arrays) of events; each reaches the listener on its own, in order, within one task.
    const forward = (_event: unknown, payload: unknown): void => {
      for (const event of Array.isArray(payload) ? payload : [payload]) listener(event as SyncEvent);
    };
    ipc.on(ipcChannel.event, forward);
    return () => {
      ipc.removeListener(ipcChannel.event, forward);
    };
  };
  const pickFolder = async (): Promise<string | null> => {
    const chosen = await ipc.invoke(ipcChannel.pickFolder);
    return typeof chosen === 'string' ? chosen : null;
  };
  const openLocation = (handlerId: string, itemId: string, location: string): Promise<unknown> => ipc.invoke(ipcChannel.openLocation, handlerId, itemId, location);
  return Object.freeze({ ...calls, subscribe, pickFolder, openLocation }) as SyncCenterBridge;
}
