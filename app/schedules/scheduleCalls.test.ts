import { afterEach, expect, test, vi } from 'vitest';
import { schedulerFixture, type SchedulerFixture } from './testing/schedulerTestKit.ts';

let fixture: SchedulerFixture | undefined;
afterEach(() => {
  vi.unstubAllEnvs();
  fixture?.close();
  fixture = undefined;
});

function setup(): SchedulerFixture {
  fixture = schedulerFixture({ plans: { 'scripted/alpha': { kind: 'paths', paths: ['/tmp/a.xml', '/tmp/b.xml'] } } });
  return fixture;
}

const interval = { kind: 'interval' as const, minutes: 15 };

test('bad input is refused with an error that names the problem', async () => {
  const { calls } = setup();
  const cases: [unknown, string, RegExp][] = [
    [{ handlerId: 'nope', trigger: interval }, 'NOT_FOUND', /No handler "nope"/],
    [{ handlerId: 'scripted', itemIds: ['alpha', 'ghost'], trigger: interval }, 'NOT_FOUND', /Handler "scripted" has no item "ghost"/],
    [{ handlerId: 'scripted', trigger: { kind: 'interval', minutes: 0 } }, 'BAD_REQUEST', /trigger\.minutes: must be at least 1 minute/],
    [{ handlerId: 'scripted', trigger: { kind: 'interval', minutes: -5 } }, 'BAD_REQUEST', /must be at least 1 minute/],
    [{ handlerId: 'scripted', trigger: { kind: 'interval', minutes: 1.5 } }, 'BAD_REQUEST', /use whole minutes/],
    [{ handlerId: 'scripted', trigger: { kind: 'idle', minutes: 0 } }, 'BAD_REQUEST', /trigger\.minutes: must be at least 1 minute/],
    [{ handlerId: 'scripted', trigger: { kind: 'timeOfDay', time: '24:00', weekdays: ['mon'] } }, 'BAD_REQUEST', /trigger\.time: use HH:MM between 00:00 and 23:59/],
    [{ handlerId: 'scripted', trigger: { kind: 'timeOfDay', time: '9:00', weekdays: ['mon'] } }, 'BAD_REQUEST', /trigger\.time: use HH:MM/],
    [{ handlerId: 'scripted', trigger: { kind: 'timeOfDay', time: '09:00', weekdays: [] } }, 'BAD_REQUEST', /trigger\.weekdays: choose at least one weekday/],
    [{ handlerId: 'scripted', trigger: { kind: 'timeOfDay', time: '09:00', weekdays: ['monday'] } }, 'BAD_REQUEST', /trigger\.weekdays\.0/],
    [{ handlerId: 'scripted', trigger: { kind: 'fileChange', delaySeconds: 0 } }, 'BAD_REQUEST', /trigger\.delaySeconds: must be at least 0\.1 seconds/],
    [{ handlerId: 'scripted', trigger: { kind: 'fortnightly' } }, 'BAD_REQUEST', /trigger\.kind/],
    [{ handlerId: 'scripted', trigger: interval, conditions: { minIntervalMinutes: 0 } }, 'BAD_REQUEST', /conditions\.minIntervalMinutes: must be at least 1 minute/],
    [{ handlerId: 'scripted', itemIds: ['beta'], trigger: { kind: 'fileChange' } }, 'NOT_SUPPORTED', /Item "beta" of handler "scripted" has no files to watch/],
    [{ id: 'ghost', handlerId: 'scripted', trigger: interval }, 'NOT_FOUND', /No schedule "ghost"/],
  ];
  for (const [request, code, message] of cases) {
    await expect(calls.saveSchedule(request as never), JSON.stringify(request)).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  }
  await expect(calls.removeSchedule({ id: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  await expect(calls.enableSchedule({ id: 'ghost', enabled: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect(await calls.listSchedules({})).toEqual([]);
});

test('in French, bad input is refused in French with the same codes', async () => {
  const { calls } = setup();
  vi.stubEnv('SYNCCENTER_LANG', 'fr');
  await expect(calls.removeSchedule({ id: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Il n’y a pas de planification « ghost ».' });
  await expect(calls.saveSchedule({ handlerId: 'scripted', itemIds: ['ghost'], trigger: interval })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Le gestionnaire « scripted » n’a pas d’élément « ghost ».' });
  await expect(calls.saveSchedule({ handlerId: 'scripted', itemIds: ['beta'], trigger: { kind: 'fileChange' } })).rejects.toMatchObject({
    code: 'NOT_SUPPORTED',
    message: 'L’élément « beta » du gestionnaire « scripted » n’a pas de fichiers à surveiller : « Quand des fichiers changent » ne peut pas s’y appliquer.',
  });
  await expect(calls.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'interval', minutes: 0 } })).rejects.toMatchObject({
    code: 'BAD_REQUEST',
    message: 'Requête non valide pour saveSchedule : trigger.minutes: doit être d’au moins 1 minute', // zod's words in French too
  });
});

test('a save fills in defaults, an edit replaces the schedule in place and keeps its last run', async () => {
  const f = setup();
  const created = await f.calls.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha', 'alpha'], trigger: { kind: 'fileChange' } });
  expect(created).toMatchObject({
    name: 'When files change',
    enabled: true,
    itemIds: ['alpha'],
    trigger: { kind: 'fileChange', delaySeconds: 2, minIntervalSeconds: 0 },
    conditions: { acPowerOnly: false, minIntervalMinutes: null },
    lastRunTime: null,
    nextRunTime: null,
  });
  const other = await f.calls.saveSchedule({ handlerId: 'scripted', name: 'Nightly', trigger: { kind: 'timeOfDay', time: '02:00', weekdays: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] } });
  f.store.schedules.recordRun(created.id, 1234);
  f.scheduler.reload();
  const edited = await f.calls.saveSchedule({ id: created.id, handlerId: 'scripted', trigger: { kind: 'interval', minutes: 30 }, conditions: { acPowerOnly: true } });
  expect(edited).toMatchObject({ id: created.id, name: 'Every 30 minutes', itemIds: null, lastRunTime: 1234, conditions: { acPowerOnly: true, minIntervalMinutes: null } });
  expect(edited.nextRunTime).toBe(f.clock.now() + 30 * 60_000);
  expect((await f.calls.listSchedules({})).map((schedule) => schedule.id)).toEqual([created.id, other.id]);
  expect(await f.calls.listSchedules({ handlerId: 'other' })).toEqual([]);
});

test('the next scheduled sync of an item and of its handler is the earliest of the enabled schedules covering it', async () => {
  const f = setup();
  const now = f.clock.now();
  await f.calls.saveSchedule({ handlerId: 'scripted', itemIds: ['alpha'], trigger: { kind: 'interval', minutes: 10 } });
  const everything = await f.calls.saveSchedule({ handlerId: 'scripted', trigger: { kind: 'interval', minutes: 30 } });
  await f.calls.saveSchedule({ handlerId: 'scripted', itemIds: ['beta'], trigger: { kind: 'unlock' } });
  expect(f.scheduler.nextScheduledTime('scripted', 'alpha')).toBe(now + 10 * 60_000);
  expect(f.scheduler.nextScheduledTime('scripted', 'beta')).toBe(now + 30 * 60_000);
  expect(f.scheduler.nextScheduledTime('scripted', null)).toBe(now + 10 * 60_000);
  await f.calls.enableSchedule({ id: everything.id, enabled: false });
  expect(f.scheduler.nextScheduledTime('scripted', 'beta')).toBeNull();
  expect(f.scheduler.nextScheduledTime('other', null)).toBeNull();
});
