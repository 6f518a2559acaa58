import { describe, expect, test } from 'vitest';
import { addDays, weekdayOf, zonedCalendar } from './zonedTime.ts';

const paris = zonedCalendar('Europe/Paris');
const newYork = zonedCalendar('America/New_York');
const iso = (instant: number) => new Date(instant).toISOString();

describe('zoned calendar', () => {
  test('reads and builds wall-clock times in the given zone, whatever the machine zone', () => {
    const instant = Date.parse('2026-07-01T10:00:00Z');
    expect(paris.localOf(instant)).toEqual({ year: 2026, month: 7, day: 1, hour: 12, minute: 0 });
    expect(newYork.localOf(instant)).toEqual({ year: 2026, month: 7, day: 1, hour: 6, minute: 0 });
    expect(iso(paris.instantOf({ year: 2026, month: 1, day: 15, hour: 9, minute: 30 }))).toBe('2026-01-15T08:30:00.000Z');
  });

  test('a time skipped by spring-forward moves forward by the gap; a repeated one means its first occurrence', () => {
    // Paris: 2026-03-29 02:00 → 03:00; 2026-10-25 03:00 → 02:00.
    expect(iso(paris.instantOf({ year: 2026, month: 3, day: 29, hour: 2, minute: 30 }))).toBe('2026-03-29T01:30:00.000Z');
    expect(paris.localOf(Date.parse('2026-03-29T01:30:00Z'))).toMatchObject({ hour: 3, minute: 30 });
    expect(iso(paris.instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }))).toBe('2026-10-25T00:30:00.000Z');
  });
});

test('civil dates add across months and years; weekdays are Sunday-based', () => {
  expect(addDays({ year: 2026, month: 12, day: 30, hour: 9, minute: 0 }, 3)).toEqual({ year: 2027, month: 1, day: 2, hour: 9, minute: 0 });
  expect(weekdayOf({ year: 2026, month: 7, day: 1, hour: 0, minute: 0 })).toBe(3);
});
