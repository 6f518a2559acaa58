/**
 * The one IPC adapter: the only caller of `ipcMain.handle`. Every call arrives on one channel as
 * `(name, request)`; the sender frame must be the app's own window, the request is parsed against the
 * contract, and the answer is always a `WireResult`.
 */
import { ipcChannel, type ControlApi } from '../app/control/contract.ts';
import { dispatchCall } from '../app/control/dispatch.ts';
import type { WireResult } from '../app/control/result.ts';

/** The part of an IPC invoke event this adapter reads. Electron's `IpcMainInvokeEvent` satisfies it. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of `ipcMain` this adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Registers the call channel; returns a function that removes it. */
export function registerIpc(ipcMain: IpcMainLike, api: ControlApi, isTrustedFrameUrl: (url: string) => boolean): () => void {
  ipcMain.handle(ipcChannel.call, async (event, name, request): Promise<WireResult<unknown>> => {
    const frameUrl = event.senderFrame?.url;
    if (frameUrl === undefined || !isTrustedFrameUrl(frameUrl)) {
      return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `Calls are only accepted from the Sync Center window, not from "${frameUrl ?? 'a destroyed frame'}".` } };
    }
    return dispatchCall(api, name, request);
  });
  return () => ipcMain.removeHandler(ipcChannel.call);
}
