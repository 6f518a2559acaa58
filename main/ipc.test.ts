import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ipcChannel } from '../app/control/contract.ts';
import { createSyncCenter, type SyncCenter } from '../app/control/syncCenter.ts';
import { builtInHandlers } from '../app/runtime/builtInHandlers.ts';
import { registerIpc } from './ipc.ts';
import { FakeIpc } from './testing/electronFakes.ts';
import { isAppUrl } from './windowSecurity.ts';

const windowUrl = 'app://sync-center/index.html';
let dir: string;
let core: SyncCenter;
let ipc: FakeIpc;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ipc-'));
  core = await createSyncCenter({ stateDir: dir, version: '0.0.0-test', transport: 'ipc' });
  ipc = new FakeIpc();
  registerIpc(ipc, core.api, isAppUrl);
});

afterEach(async () => {
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('IPC adapter', () => {
  it('registers exactly one channel', () => {
    expect([...ipc.handlers.keys()]).toEqual([ipcChannel.call]);
  });

  it('round-trips a valid call', async () => {
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'listHandlers', {})).resolves.toEqual({ ok: true, value: [] });
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'getHostInfo', {})).resolves.toMatchObject({ ok: true, value: { transport: 'ipc' } });
  });

  it('answers an unknown call with a clear error', async () => {
    const result = await ipc.invokeFrom(windowUrl, ipcChannel.call, 'deleteEverything', {});
    expect(result).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'Unknown call "deleteEverything".' } });
  });

  it('refuses a foreign sender frame', async () => {
    for (const url of ['https://evil.example/', 'app://sync-center.evil.example/', 'file:///etc/passwd', 'app://evil@sync-center/']) {
      const result = await ipc.invokeFrom(url, ipcChannel.call, 'listHandlers', {});
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.stringContaining(url.slice(0, 12)) } });
    }
  });

  it('refuses a destroyed frame', async () => {
    await expect(ipc.invokeFrom(null, ipcChannel.call, 'listHandlers', {})).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses an invalid payload with the schema message', async () => {
    const result = (await ipc.invokeFrom(windowUrl, ipcChannel.call, 'listHandlers', { extra: true })) as { ok: boolean; error: { code: string; message: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('BAD_REQUEST');
    expect(result.error.message).toContain('listHandlers');
    expect(result.error.message).toContain('extra');
  });

  it('refuses a non-object payload', async () => {
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'listHandlers', 'rm -rf /')).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('carries the schedule calls with clear errors for bad schedules', async () => {
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'listSchedules', {})).resolves.toEqual({ ok: true, value: [] });
    const zero = await ipc.invokeFrom(windowUrl, ipcChannel.call, 'saveSchedule', { handlerId: 'folders', trigger: { kind: 'interval', minutes: 0 } });
    expect(zero).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('trigger.minutes: must be at least 1 minute') } });
    const unknown = await ipc.invokeFrom(windowUrl, ipcChannel.call, 'saveSchedule', { handlerId: 'folders', trigger: { kind: 'interval', minutes: 15 } });
    expect(unknown).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'No handler "folders".' } });
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'enableSchedule', { id: 'x', enabled: true })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await expect(ipc.invokeFrom(windowUrl, ipcChannel.call, 'removeSchedule', { id: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('shows the folder picker only for the app window', async () => {
    const withPicker = new FakeIpc();
    let shown = 0;
    registerIpc(withPicker, core.api, isAppUrl, { pickFolder: async () => (shown++, '/media/usb/Photos'), openPath: async () => '' });
    await expect(withPicker.invokeFrom(windowUrl, ipcChannel.pickFolder)).resolves.toBe('/media/usb/Photos');
    await expect(withPicker.invokeFrom('https://evil.example/', ipcChannel.pickFolder)).resolves.toBeNull();
    expect(shown).toBe(1);
  });

  it('Browse opens only a location the item itself lists, only for the app window', async () => {
    const left = path.join(dir, 'left');
    const right = path.join(dir, 'right');
    mkdirSync(left);
    mkdirSync(right);
    const withFolders = await createSyncCenter({ stateDir: path.join(dir, 'state'), version: '0.0.0-test', transport: 'ipc', handlers: builtInHandlers().filter((entry) => entry.id === 'folders') });
    try {
      const item = await withFolders.api.addItem({ handlerId: 'folders', args: [left, right] });
      const opened: string[] = [];
      const fake = new FakeIpc();
      const openPath = async (location: string) => (opened.push(location), location === right ? 'No application is registered to open folders.' : '');
      registerIpc(fake, withFolders.api, isAppUrl, { pickFolder: async () => null, openPath });
      const open = (url: string, ...args: unknown[]) => fake.invokeFrom(url, ipcChannel.openLocation, ...args);
      await expect(open(windowUrl, 'folders', item.id, left)).resolves.toEqual({ ok: true, value: null });
      await expect(open(windowUrl, 'folders', item.id, right)).resolves.toEqual({ ok: false, error: { code: 'OPEN_FAILED', message: `Could not open "${right}": No application is registered to open folders.` } });
      await expect(open(windowUrl, 'folders', item.id, '/etc')).resolves.toMatchObject({ ok: false, error: { code: 'BAD_PATH', message: expect.stringContaining('"/etc" is not a location of item') } });
      await expect(open(windowUrl, 'folders', item.id, { path: left })).resolves.toMatchObject({ ok: false, error: { code: 'BAD_PATH' } });
      await expect(open(windowUrl, 'folders', 'ghost', left)).resolves.toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      await expect(open(windowUrl, '../folders', item.id, left)).resolves.toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      await expect(open('https://evil.example/', 'folders', item.id, left)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect(opened).toEqual([left, right]);
    } finally {
      await withFolders.close();
    }
  });

  it('never answers on an unregistered channel', async () => {
    await expect(ipc.invokeFrom(windowUrl, 'synccenter:admin', {})).rejects.toThrow(/No handler registered/);
  });
});
