import { afterEach, describe, expect, test } from 'vitest';
import type { CallRequest } from '../control/contract.ts';
import { schedulerFixture, type SchedulerFixture } from './testing/schedulerTestKit.ts';

const minute = 60_000;
const hour = 60 * minute;
let fixture: SchedulerFixture | undefined;
afterEach(() => {
  fixture?.close();
  fixture = undefined;
});

function setup(options: Parameters<typeof schedulerFixture>[0] = {}): SchedulerFixture {
  fixture = schedulerFixture(options);
  return fixture;
}

const save = (f: SchedulerFixture, request: Omit<CallRequest<'saveSchedule'>, 'handlerId'> & { handlerId?: string }) =>
  f.calls.saveSchedule({ handlerId: 'scripted', ...request });
const reasons = (f: SchedulerFixture) => f.starts.map((run) => `${run.schedule.trigger.kind}:${run.reason.kind}`);

describe('every N minutes', () => {
  test('runs every 15 minutes counted from its creation, never in between', async () => {
    const f = setup();
    f.scheduler.start();
    const t0 = f.clock.now();
    const schedule = await save(f, { trigger: { kind: 'interval', minutes: 15 } });
    expect(schedule.nextRunTime).toBe(t0 + 15 * minute);
    await f.advance(15 * minute - 1);
    expect(f.starts).toHaveLength(0);
    await f.advance(1);
    expect(f.starts).toHaveLength(1);
    expect(f.starts[0]).toMatchObject({ itemIds: null, reason: { kind: 'due' } });
    await f.advance(hour - 15 * minute);
    expect(f.starts).toHaveLength(4);
    expect((await f.calls.listSchedules({}))[0]).toMatchObject({ lastRunTime: t0 + hour, nextRunTime: t0 + hour + 15 * minute });
  });

  test('a disabled schedule never runs; enabling it counts from then, so nothing missed piles up', async () => {
    const f = setup();
    f.scheduler.start();
    const schedule = await save(f, { trigger: { kind: 'interval', minutes: 10 }, enabled: false });
    expect(schedule.nextRunTime).toBeNull();
    await f.advance(2 * hour);
    expect(f.starts).toHaveLength(0);
    const enabled = await f.calls.enableSchedule({ id: schedule.id, enabled: true });
    expect(enabled.nextRunTime).toBe(f.clock.now() + 10 * minute);
    await f.advance(10 * minute);
    expect(f.starts).toHaveLength(1);
  });
});

describe('at a time of day on chosen weekdays', () => {
  test('runs at 09:00 local time on Mondays and Wednesdays only', async () => {
    // Monday 2026-06-29 08:00 in Paris.
    const f = setup({ start: Date.parse('2026-06-29T06:00:00Z') });
    f.scheduler.start();
    const schedule = await save(f, { trigger: { kind: 'timeOfDay', time: '09:00', weekdays: ['wed', 'mon'] } });
    expect(schedule.trigger).toEqual({ kind: 'timeOfDay', time: '09:00', weekdays: ['mon', 'wed'] });
    expect(new Date(schedule.nextRunTime!).toISOString()).toBe('2026-06-29T07:00:00.000Z');
    await f.advance(hour - 1);
    expect(f.starts).toHaveLength(0);
    await f.advance(1);
    expect(f.starts).toHaveLength(1);
    await f.advance(24 * hour); // Tuesday 09:00
    expect(f.starts).toHaveLength(1);
    await f.advance(24 * hour); // Wednesday 09:00
    expect(f.starts).toHaveLength(2);
    await f.advance(5 * 24 * hour - 1); // up to just before next Monday 09:00
    expect(f.starts).toHaveLength(2);
    await f.advance(1);
    expect(f.starts).toHaveLength(3);
    expect(f.starts.map((run) => f.clock.now() - (run.schedule.lastRunTime ?? 0))).toContain(0);
  });

  test('keeps local time across the spring-forward change (DST-safe)', async () => {
    // Saturday 2026-03-28 12:00 in Paris; clocks go forward the next night.
    const f = setup({ start: Date.parse('2026-03-28T11:00:00Z') });
    f.scheduler.start();
    await save(f, { trigger: { kind: 'timeOfDay', time: '09:00', weekdays: ['sat', 'sun', 'mon'] } });
    await f.advance(3 * 24 * hour);
    const runTimes = (await f.calls.listSchedules({}))[0];
    expect(f.starts).toHaveLength(2);
    // Monday 09:00 CEST = 07:00Z; Sunday's ran at 07:00Z too (already CEST).
    expect(new Date(runTimes!.lastRunTime!).toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });
});

describe('when the app starts, and missed schedules', () => {
  test('an app-start schedule runs once when the scheduler starts, not on later edits', async () => {
    const f = setup();
    const schedule = await save(f, { trigger: { kind: 'appStart' }, itemIds: ['alpha'] });
    expect(f.starts).toHaveLength(0);
    f.scheduler.start();
    await f.scheduler.idle();
    expect(f.starts).toEqual([expect.objectContaining({ itemIds: ['alpha'], reason: { kind: 'event' } })]);
    await save(f, { id: schedule.id, trigger: { kind: 'appStart' } });
    await f.advance(3 * hour);
    expect(f.starts).toHaveLength(1);
  });

  test('schedules persist; one that fell due while the host was closed runs once at the next start', async () => {
    const first = schedulerFixture();
    first.scheduler.start();
    const created = await first.calls.saveSchedule({ handlerId: 'scripted', name: 'Quarter-hourly', trigger: { kind: 'interval', minutes: 15 }, conditions: { acPowerOnly: true } });
    await first.advance(15 * minute);
    expect(first.starts).toHaveLength(1);
    const closedAt = first.clock.now();
    first.close(true);

    // Closed for three hours: twelve occurrences missed.
    const f = setup({ stateDir: first.stateDir, start: closedAt + 3 * hour });
    const [restored] = await f.calls.listSchedules({});
    expect(restored).toMatchObject({ id: created.id, name: 'Quarter-hourly', conditions: { acPowerOnly: true, minIntervalMinutes: null }, lastRunTime: closedAt });
    expect(restored?.nextRunTime).toBe(closedAt + 15 * minute);
    f.scheduler.start();
    await f.scheduler.idle();
    expect(reasons(f)).toEqual(['interval:missed']);
    await f.advance(15 * minute - 1);
    expect(f.starts).toHaveLength(1);
    await f.advance(1);
    expect(reasons(f)).toEqual(['interval:missed', 'interval:due']);
  });
});

describe('desktop triggers', () => {
  test('idle for N minutes fires once per idle period and again only after the user came back', async () => {
    const f = setup();
    f.scheduler.start();
    await save(f, { trigger: { kind: 'idle', minutes: 10 } });
    f.system.idle = 9 * 60;
    await f.advance(2 * minute);
    expect(f.starts).toHaveLength(0);
    f.system.idle = 10 * 60;
    await f.advance(minute);
    expect(f.starts).toHaveLength(1);
    f.system.idle = 40 * 60;
    await f.advance(30 * minute);
    expect(f.starts).toHaveLength(1);
    f.system.idle = 3;
    await f.advance(minute);
    f.system.idle = 11 * 60;
    await f.advance(minute);
    expect(f.starts).toHaveLength(2);
  });

  test('a host that cannot tell idle time never fires idle schedules', async () => {
    const f = setup();
    f.system.idle = null;
    f.scheduler.start();
    await save(f, { trigger: { kind: 'idle', minutes: 1 } });
    await f.advance(hour);
    expect(f.starts).toHaveLength(0);
  });

  test('lock and unlock fire their own schedules only', async () => {
    const f = setup();
    f.scheduler.start();
    await save(f, { name: 'On lock', trigger: { kind: 'lock' } });
    await save(f, { name: 'On unlock', trigger: { kind: 'unlock' } });
    f.system.emit('lock');
    await f.scheduler.idle();
    expect(f.starts.map((run) => run.schedule.name)).toEqual(['On lock']);
    f.system.emit('unlock');
    await f.scheduler.idle();
    expect(f.starts.map((run) => run.schedule.name)).toEqual(['On lock', 'On unlock']);
    f.system.emit('ac');
    await f.advance(hour);
    expect(f.starts).toHaveLength(2);
  });
});

describe('conditions', () => {
  test('only on AC power: a due run waits on battery and runs once when AC power returns', async () => {
    const f = setup();
    f.system.battery = true;
    f.scheduler.start();
    await save(f, { trigger: { kind: 'interval', minutes: 15 }, conditions: { acPowerOnly: true } });
    await save(f, { name: 'Unlock', trigger: { kind: 'unlock' }, conditions: { acPowerOnly: true } });
    await f.advance(hour);
    f.system.emit('unlock');
    f.system.emit('unlock');
    await f.advance(minute);
    expect(f.starts).toHaveLength(0);
    f.system.emit('ac');
    await f.scheduler.idle();
    expect(reasons(f).sort()).toEqual(['interval:due', 'unlock:event']);
    await f.advance(15 * minute);
    expect(f.starts).toHaveLength(3);
  });

  test('unknown power (no desktop) counts as AC power', async () => {
    const f = setup();
    f.system.battery = null;
    f.scheduler.start();
    await save(f, { trigger: { kind: 'interval', minutes: 5 }, conditions: { acPowerOnly: true } });
    await f.advance(5 * minute);
    expect(f.starts).toHaveLength(1);
  });

  test('not more often than every N minutes: triggers meanwhile make one run when the interval has passed', async () => {
    const f = setup();
    f.scheduler.start();
    const schedule = await save(f, { trigger: { kind: 'unlock' }, conditions: { minIntervalMinutes: 30 } });
    f.system.emit('unlock');
    await f.scheduler.idle();
    const first = f.clock.now();
    expect(f.starts).toHaveLength(1);
    await f.advance(10 * minute);
    f.system.emit('unlock');
    await f.advance(10 * minute);
    f.system.emit('unlock');
    await f.scheduler.idle();
    expect(f.starts).toHaveLength(1);
    expect((await f.calls.listSchedules({})).find((entry) => entry.id === schedule.id)?.nextRunTime).toBe(first + 30 * minute);
    await f.advance(10 * minute - 1);
    expect(f.starts).toHaveLength(1);
    await f.advance(1);
    expect(f.starts).toHaveLength(2);
    expect(f.starts[1]?.schedule.lastRunTime).toBe(first + 30 * minute);
    await f.advance(hour);
    expect(f.starts).toHaveLength(2);
  });

  test('a timed schedule with a minimum interval longer than its period runs at the slower pace', async () => {
    const f = setup();
    f.scheduler.start();
    await save(f, { trigger: { kind: 'interval', minutes: 5 }, conditions: { minIntervalMinutes: 20 } });
    await f.advance(hour + 5 * minute);
    // 5, 25, 45, 65 minutes.
    expect(f.starts).toHaveLength(4);
  });
});

test('every run publishes schedulesChanged (the next run moved), and so does every edit', async () => {
  const f = setup();
  f.scheduler.start();
  const schedule = await save(f, { trigger: { kind: 'interval', minutes: 1 } });
  await f.advance(minute);
  await f.calls.removeSchedule({ id: schedule.id });
  expect(f.published.filter((event) => event.type === 'schedulesChanged')).toHaveLength(3);
  await f.advance(hour);
  expect(f.starts).toHaveLength(1);
});
