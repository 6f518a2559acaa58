import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { createSyncCenter, type SyncCenter } from '../app/control/syncCenter.ts';
import { scriptedHandlerRegistration } from '../app/runtime/fixtures/scriptedHandler.ts';
import { FakePowerMonitor } from './testing/electronFakes.ts';
import { powerMonitorPort } from './powerMonitorPort.ts';

let dir: string | undefined;
let core: SyncCenter | undefined;
afterEach(async () => {
  await core?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  core = undefined;
  dir = undefined;
});

test('maps powerMonitor readings and events onto the scheduler port, and unsubscribes', () => {
  const monitor = new FakePowerMonitor();
  const port = powerMonitorPort(monitor);
  monitor.idleSeconds = 125;
  monitor.onBattery = true;
  expect(port.idleSeconds()).toBe(125);
  expect(port.onBattery()).toBe(true);
  const seen: string[] = [];
  const unsubscribe = port.subscribe((signal) => seen.push(signal));
  for (const event of ['lock-screen', 'unlock-screen', 'on-ac', 'on-battery', 'suspend'] as const) monitor.emit(event);
  expect(seen).toEqual(['lock', 'unlock', 'ac', 'battery']);
  unsubscribe();
  expect(monitor.listenerCount('lock-screen') + monitor.listenerCount('on-ac')).toBe(0);
});

test('main wiring: a screen unlock in Electron starts the unlock schedule in the core, once AC power is back', async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'power-'));
  const monitor = new FakePowerMonitor();
  monitor.onBattery = true;
  core = await createSyncCenter({ stateDir: dir, version: 't', handlers: [scriptedHandlerRegistration({ items: [{ id: 'alpha' }] })], automation: { system: powerMonitorPort(monitor) } });
  const started: string[] = [];
  core.api.subscribe((event) => {
    if (event.type === 'sessionStarted') started.push(event.itemIds.join());
  });
  await core.api.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'unlock' }, conditions: { acPowerOnly: true } });
  monitor.emit('lock-screen');
  monitor.emit('unlock-screen');
  await core.scheduler.idle();
  expect(started).toEqual([]);
  monitor.onBattery = false;
  monitor.emit('on-ac');
  await core.scheduler.idle();
  expect(started).toEqual(['alpha']);
});
