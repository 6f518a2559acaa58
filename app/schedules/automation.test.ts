/**
 * The scheduler inside a real core: triggered syncs go through the same queue as clicks and are marked in Sync
 * Results; and, on real folders with real `fs.watch` and the real folders handler, a burst of writes is synced
 * once and the sync's own writes start nothing more.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { SyncEvent } from '../control/events.ts';
import { createSyncCenter, type SyncCenter } from '../control/syncCenter.ts';
import { builtInHandlers } from '../runtime/builtInHandlers.ts';
import { startTestHost, tempDir, type TestHost } from '../sessions/hostTestKit.ts';
import { FakeClock } from '../runtime/testing/fakeClock.ts';
import { ManualSystem } from './testing/schedulerTestKit.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function scriptedHost(clock: FakeClock, system: ManualSystem): Promise<TestHost> {
  const host = await startTestHost({ items: [{ id: 'alpha', name: 'Alpha', steps: 2 }, { id: 'beta', name: 'Beta', steps: 2 }] }, { now: clock.now, timers: clock, automation: { system, timeZone: 'Europe/Paris' } });
  cleanups.push(() => host.dispose());
  return host;
}

test('a scheduled sync goes through the queue like a click, shows progress and is marked in Sync Results', async () => {
  const clock = new FakeClock(Date.parse('2026-07-01T06:00:00Z'));
  const host = await scriptedHost(clock, new ManualSystem());
  const schedule = await host.api.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'interval', minutes: 15 } });
  const [before] = await host.api.listHandlers({});
  expect(before?.items.find((item) => item.id === 'alpha')?.nextScheduledTime).toBe(clock.now() + 15 * 60_000);
  expect(before?.nextScheduledTime).toBe(clock.now() + 15 * 60_000);

  await clock.advance(15 * 60_000);
  await host.scheduler.idle();
  const types = host.events.filter((event) => 'itemId' in event && event.itemId === 'alpha').map((event) => event.type);
  expect(types).toContain('itemStarted');
  expect(types).toContain('itemProgressed');
  expect(host.events.filter((event): event is Extract<SyncEvent, { type: 'sessionStarted' }> => event.type === 'sessionStarted').map((event) => event.itemIds)).toEqual([['alpha']]);
  const [mark] = await host.api.listEvents({ itemId: 'alpha', level: 'information' });
  expect(mark).toMatchObject({ name: 'Automatic sync', description: 'Started by schedule “Every 15 minutes” (Every 15 minutes).' });
  expect(JSON.parse(mark?.context ?? '{}')).toEqual({ trigger: 'interval', scheduleId: schedule.id, reason: 'due' });
  const [after] = await host.api.listHandlers({});
  expect(after?.items.find((item) => item.id === 'alpha')).toMatchObject({ state: 'succeeded', lastSyncTime: clock.now(), nextScheduledTime: clock.now() + 15 * 60_000 });
  expect(after?.items.find((item) => item.id === 'beta')).toMatchObject({ lastSyncTime: null, nextScheduledTime: null });
});

test('an unlock on battery waits for AC power; disabled items are left alone', async () => {
  const clock = new FakeClock(Date.parse('2026-07-01T06:00:00Z'));
  const system = new ManualSystem();
  system.battery = true;
  const host = await scriptedHost(clock, system);
  await host.api.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'unlock' }, conditions: { acPowerOnly: true } });
  await host.api.enableItem({ handlerId: 'scripted', itemId: 'beta', enabled: false });
  system.emit('unlock');
  await host.scheduler.idle();
  expect(host.events.some((event) => event.type === 'sessionStarted')).toBe(false);
  system.emit('ac');
  await host.scheduler.idle();
  expect(host.events.filter((event) => event.type === 'sessionStarted').map((event) => (event.type === 'sessionStarted' ? event.itemIds : []))).toEqual([['alpha']]);
  const marks = await host.api.listEvents({ level: 'information' });
  expect(marks.map((event) => [event.itemId, event.description])).toEqual([[null, 'Started by schedule “When the session is unlocked” (When the session is unlocked).']]);
});

test('a deleted item leaves its schedules: one of it alone is removed, one of several keeps the others', async () => {
  const clock = new FakeClock(Date.parse('2026-07-01T06:00:00Z'));
  const host = await scriptedHost(clock, new ManualSystem());
  const alone = await host.api.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'interval', minutes: 15 } });
  const both = await host.api.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha', 'beta'], trigger: { kind: 'interval', minutes: 30 } });
  const whole = await host.api.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'appStart' } });
  const before = host.events.filter((event) => event.type === 'schedulesChanged').length;
  await host.api.deleteItem({ handlerId: 'scripted', itemId: 'alpha' });
  const left = await host.api.listSchedules({});
  expect(left.map((schedule) => [schedule.id, schedule.itemIds])).toEqual([[both.id, ['beta']], [whole.id, null]]);
  expect(left.some((schedule) => schedule.id === alone.id)).toBe(false);
  expect(host.events.filter((event) => event.type === 'schedulesChanged').length).toBe(before + 1);
  await clock.advance(30 * 60_000);
  await host.scheduler.idle();
  const started = host.events.flatMap((event) => (event.type === 'sessionStarted' ? event.itemIds : []));
  expect(started).not.toContain('alpha');
});

test('the trigger mark is written in French when the host speaks French', async () => {
  const previous = process.env.SYNCCENTER_LANG;
  process.env.SYNCCENTER_LANG = 'fr_FR.UTF-8';
  cleanups.push(() => {
    if (previous === undefined) delete process.env.SYNCCENTER_LANG;
    else process.env.SYNCCENTER_LANG = previous;
  });
  const clock = new FakeClock(Date.parse('2026-07-01T06:00:00Z'));
  const host = await scriptedHost(clock, new ManualSystem());
  const schedule = await host.api.saveSchedule({ handlerId: 'scripted', itemIds: ['beta'], trigger: { kind: 'interval', minutes: 15 } });
  expect(schedule.name).toBe('Toutes les 15 minutes');
  await clock.advance(15 * 60_000);
  await host.scheduler.idle();
  const [mark] = await host.api.listEvents({ itemId: 'beta', level: 'information' });
  expect(mark).toMatchObject({ name: 'Synchronisation automatique', description: 'Démarrée par la planification « Toutes les 15 minutes » (Toutes les 15 minutes).' });
});

test('real folders: a burst of 1,001 writes is synced once, and the sync’s own writes start nothing more', { timeout: 60_000 }, async () => {
  const root = tempDir('synccenter-watch-real-');
  const left = path.join(root, 'laptop');
  const right = path.join(root, 'usb');
  mkdirSync(left);
  mkdirSync(right);
  const center: SyncCenter = await createSyncCenter({ stateDir: path.join(root, 'state'), version: 't', handlers: builtInHandlers(), automation: {} });
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(() => center.close());
  const events: SyncEvent[] = [];
  center.api.subscribe((event) => events.push(event));
  const item = await center.api.addItem({ handlerId: 'folders', args: [left, right] });
  expect((await center.api.startItemSync({ handlerId: 'folders', itemIds: [item.id] })).status).toBe('succeeded');
  await center.api.saveSchedule({ handlerId: 'folders', itemIds: [item.id], trigger: { kind: 'fileChange', delaySeconds: 0.5 } });
  await center.scheduler.idle();
  const sessionsBefore = events.filter((event) => event.type === 'sessionStarted').length;

  mkdirSync(path.join(left, 'photos'));
  for (let index = 0; index < 1000; index += 1) writeFileSync(path.join(left, 'photos', `img-${index}.txt`), `picture ${index}`);
  writeFileSync(path.join(left, 'notes.txt'), 'hello');

  await waitFor(() => existsSync(path.join(right, 'notes.txt')) && readdirSync(path.join(right, 'photos')).length === 1000 && events.some((event) => event.type === 'sessionFinished' && events.indexOf(event) > sessionsBefore));
  // The sync wrote 1,001 files and its metadata on the other side; give those notifications time to come and go.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await center.scheduler.idle();
  const sessions = events.filter((event) => event.type === 'sessionStarted').length - sessionsBefore;
  expect(sessions).toBe(1);
  const information = await center.api.listEvents({ itemId: item.id, level: 'information' });
  const mark = information.find((event) => event.name === 'Automatic sync');
  expect(mark?.description).toMatch(/Started by schedule “When files change”: \d+ changes in the item's files\./);
  // And what the sync did, with the folder that received it (the 1,001 files and the folder holding 1,000 of them).
  expect(information.find((event) => event.name === 'Synced')?.description).toBe(`"${right}" received 1,002 new, 0 changed, 0 moved, 0 deleted.`);

  // An edit on the other side after that syncs back once more.
  writeFileSync(path.join(right, 'notes.txt'), 'hello from the usb drive');
  await waitFor(() => events.filter((event) => event.type === 'sessionFinished').length >= sessionsBefore + 2);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(events.filter((event) => event.type === 'sessionStarted').length - sessionsBefore).toBe(2);
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
