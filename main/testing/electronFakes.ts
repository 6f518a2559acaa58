/**
 * In-process fakes of the small Electron surfaces main/ and preload/ touch. Payloads cross the fake boundary
 * through `structuredClone`, as Electron's IPC serializes them, so a test sees what a real renderer would.
 */
import { EventEmitter } from 'node:events';
import type { InvokeEventLike, IpcMainLike } from '../ipc.ts';
import type { IpcRendererLike } from '../../preload/bridge.ts';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;
type Listener = (event: unknown, ...args: unknown[]) => void;

/** A fake `ipcMain` plus a way to invoke it as a renderer frame at `frameUrl` would. */
export class FakeIpc implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  readonly listeners = new Map<string, Set<Listener>>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What `ipcRenderer.invoke` does: clone the arguments, run the handler, clone the answer. */
  async invokeFrom(frameUrl: string | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    const cloned = structuredClone(args);
    const event: InvokeEventLike = { senderFrame: frameUrl === null ? null : { url: frameUrl } };
    return structuredClone(await handler(event, ...cloned));
  }

  /** A renderer-side `ipcRenderer` bound to one frame. */
  rendererFor(frameUrl: string): IpcRendererLike {
    return {
      invoke: (channel, ...args) => this.invokeFrom(frameUrl, channel, ...args),
      on: (channel, listener) => {
        const set = this.listeners.get(channel) ?? new Set<Listener>();
        set.add(listener);
        this.listeners.set(channel, set);
      },
      removeListener: (channel, listener) => {
        this.listeners.get(channel)?.delete(listener);
      },
    };
  }

  /** What `webContents.send` does. */
  send(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer' }, structuredClone(payload));
  }
}

/** A fake `powerMonitor`: the test sets idle time and power source and emits its events. */
export class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  onBattery = false;

  getSystemIdleTime(): number {
    return this.idleSeconds;
  }

  isOnBatteryPower(): boolean {
    return this.onBattery;
  }
}
