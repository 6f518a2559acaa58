import { describe, expect, test } from 'vitest';
import type { Weekday } from '../control/schemas.ts';
import { dueTime, nextOccurrence, sortWeekdays } from './nextRun.ts';
import { zonedCalendar } from './zonedTime.ts';

const paris = zonedCalendar('Europe/Paris');
const newYork = zonedCalendar('America/New_York');
const every: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const at = (time: string, weekdays: Weekday[] = every) => ({ kind: 'timeOfDay' as const, time, weekdays });
const iso = (instant: number) => new Date(instant).toISOString();

describe('next occurrence', () => {
  test('every N minutes counts elapsed time from the basis', () => {
    expect(nextOccurrence({ kind: 'interval', minutes: 15 }, 1_000, paris)).toBe(1_000 + 15 * 60_000);
  });

  test('a time of day is later today if it has not passed, else on the next chosen day', () => {
    const morning = Date.parse('2026-07-01T06:00:00Z'); // Wednesday 08:00 in Paris
    expect(iso(nextOccurrence(at('09:15'), morning, paris))).toBe('2026-07-01T07:15:00.000Z');
    expect(iso(nextOccurrence(at('07:00'), morning, paris))).toBe('2026-07-02T05:00:00.000Z');
    // Exactly at the time: strictly after, so tomorrow.
    expect(iso(nextOccurrence(at('08:00'), morning, paris))).toBe('2026-07-02T06:00:00.000Z');
  });

  test('only on the chosen weekdays', () => {
    const wednesday = Date.parse('2026-07-01T06:00:00Z');
    expect(iso(nextOccurrence(at('07:00', ['mon', 'fri']), wednesday, paris))).toBe('2026-07-03T05:00:00.000Z');
    expect(iso(nextOccurrence(at('07:00', ['wed']), wednesday, paris))).toBe('2026-07-08T05:00:00.000Z');
    expect(iso(nextOccurrence(at('09:00', ['wed']), wednesday, paris))).toBe('2026-07-01T07:00:00.000Z');
  });

  test('local wall-clock time holds across both DST changes (09:00 stays 09:00)', () => {
    const beforeSpring = Date.parse('2026-03-28T09:00:00Z'); // Saturday 10:00 CET
    const spring = nextOccurrence(at('09:00'), beforeSpring, paris);
    expect(iso(spring)).toBe('2026-03-29T07:00:00.000Z'); // Sunday 09:00 CEST
    expect(spring - beforeSpring).toBe(22 * 3_600_000);
    const autumn = nextOccurrence(at('09:00'), Date.parse('2026-10-24T08:00:00Z'), paris);
    expect(iso(autumn)).toBe('2026-10-25T08:00:00.000Z'); // Sunday 09:00 CET, a 25-hour day
    const ny = nextOccurrence(at('09:00'), Date.parse('2026-03-07T15:00:00Z'), newYork);
    expect(iso(ny)).toBe('2026-03-08T13:00:00.000Z'); // EDT starts 2026-03-08
  });

  test('a time inside the spring-forward gap runs once, an hour later; one inside the overlap runs once', () => {
    const saturday = Date.parse('2026-03-28T12:00:00Z');
    const gap = nextOccurrence(at('02:30'), saturday, paris);
    expect(iso(gap)).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(iso(nextOccurrence(at('02:30'), gap, paris))).toBe('2026-03-30T00:30:00.000Z');
    const overlapDay = Date.parse('2026-10-24T12:00:00Z');
    const first = nextOccurrence(at('02:30'), overlapDay, paris);
    expect(iso(first)).toBe('2026-10-25T00:30:00.000Z'); // the first 02:30 (CEST)
    // After running at the first 02:30, the repeated 02:30 an hour later does not run again.
    expect(iso(nextOccurrence(at('02:30'), first, paris))).toBe('2026-10-26T01:30:00.000Z');
  });

  test('the basis is the later of the last run and the last edit; event triggers have no due time', () => {
    const trigger = { kind: 'interval' as const, minutes: 10 };
    expect(dueTime({ trigger, updatedTime: 0, lastRunTime: null }, paris)).toBe(600_000);
    expect(dueTime({ trigger, updatedTime: 0, lastRunTime: 60_000 }, paris)).toBe(660_000);
    expect(dueTime({ trigger, updatedTime: 120_000, lastRunTime: 60_000 }, paris)).toBe(720_000);
    expect(dueTime({ trigger: { kind: 'unlock' }, updatedTime: 0, lastRunTime: null }, paris)).toBeNull();
  });

  test('weekdays are kept Monday first, without duplicates', () => {
    expect(sortWeekdays(['sun', 'mon', 'sun', 'wed'])).toEqual(['mon', 'wed', 'sun']);
  });
});
