/**
 * The one IPC adapter: the only caller of `ipcMain.handle`. Every call arrives on one channel as
 * `(name, request)`; the sender frame must be the app's own window, the request is parsed against the
 * contract, and the answer is always a `WireResult`.
 */
import { ipcChannel, type ControlApi } from '../app/control/contract.ts';
import { dispatchCall } from '../app/control/dispatch.ts';
import type { WireResult } from '../app/control/result.ts';
import type { ItemDetails } from '../app/control/schemas.ts';

/** The part of an IPC invoke event this adapter reads. Electron's `IpcMainInvokeEvent` satisfies it. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of `ipcMain` this adapter uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** What the window-only channels need from Electron. */
export interface WindowServices {
  /** Shows the native folder picker; resolves with the folder or null. */
  pickFolder(): Promise<string | null>;
  /** Opens a path in the system's file manager; resolves with '' or an error message (`shell.openPath`). */
  openPath(path: string): Promise<string>;
}

/** Registers the call channel and the window-only channels; returns a function that removes them. */
export function registerIpc(ipcMain: IpcMainLike, api: ControlApi, isTrustedFrameUrl: (url: string) => boolean, services?: WindowServices): () => void {
  const refusal = (event: InvokeEventLike): WireResult<never> | null => {
    const frameUrl = event.senderFrame?.url;
    if (frameUrl !== undefined && isTrustedFrameUrl(frameUrl)) return null;
    return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: `Calls are only accepted from the Sync Center window, not from "${frameUrl ?? 'a destroyed frame'}".` } };
  };
  ipcMain.handle(ipcChannel.call, async (event, name, request): Promise<WireResult<unknown>> => refusal(event) ?? dispatchCall(api, name, request));
  if (services !== undefined) {
    ipcMain.handle(ipcChannel.pickFolder, async (event): Promise<string | null> => (refusal(event) === null ? services.pickFolder() : null));
    ipcMain.handle(ipcChannel.openLocation, async (event, handlerId, itemId, location): Promise<WireResult<null>> => refusal(event) ?? openLocation(api, services, handlerId, itemId, location));
  }
  return () => {
    ipcMain.removeHandler(ipcChannel.call);
    if (services !== undefined) {
      ipcMain.removeHandler(ipcChannel.pickFolder);
      ipcMain.removeHandler(ipcChannel.openLocation);
    }
  };
}

/**
 * Browse: opens one of an item's locations. The window names the path, but only a path the item's handler lists
 * (asked again here, never taken on trust) reaches the file manager, so a compromised page cannot open anything else.
 */
async function openLocation(api: ControlApi, services: WindowServices, handlerId: unknown, itemId: unknown, location: unknown): Promise<WireResult<null>> {
  const details = await dispatchCall(api, 'getItemDetails', { handlerId, itemId });
  if (!details.ok) return details;
  const fail = (code: string, message: string): WireResult<null> => ({ ok: false, error: { code, message } });
  const { value } = details as { value: ItemDetails };
  if (!value.browsable) return fail('NOT_SUPPORTED', `Item "${value.itemId}" of handler "${value.handlerId}" cannot be browsed.`);
  if (typeof location !== 'string' || !value.locations.some((entry) => entry.path === location)) {
    return fail('BAD_PATH', `"${String(location).slice(0, 200)}" is not a location of item "${value.itemId}"; only its own folders and files can be opened.`);
  }
  const problem = await services.openPath(location);
  return problem === '' ? { ok: true, value: null } : fail('OPEN_FAILED', `Could not open "${location}": ${problem}`);
}
