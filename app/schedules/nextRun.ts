/**
 * When a timed schedule is due: every N minutes counts from its basis (the later of its last run and its last
 * edit); a time of day is the first chosen weekday's wall-clock time strictly after the basis, in the host's
 * zone. Occurrences missed while the host was closed collapse into one due time in the past, so they run once.
 */
import type { ScheduleTrigger, Weekday } from '../control/schemas.ts';
import type { StoredSchedule } from '../store/state/scheduleStore.ts';
import { addDays, weekdayOf, type ZonedCalendar } from './zonedTime.ts';

/** Triggers with a computable time. */
export type TimedTrigger = Extract<ScheduleTrigger, { kind: 'interval' | 'timeOfDay' }>;

const weekdayNumbers: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

/** Whether a trigger runs on time rather than on an event. */
export function isTimed(trigger: ScheduleTrigger): trigger is TimedTrigger {
  return trigger.kind === 'interval' || trigger.kind === 'timeOfDay';
}

/** The first occurrence strictly after `basis`. */
export function nextOccurrence(trigger: TimedTrigger, basis: number, calendar: ZonedCalendar): number {
  if (trigger.kind === 'interval') return basis + trigger.minutes * 60_000;
  const [hour = 0, minute = 0] = trigger.time.split(':').map(Number);
  const days = new Set(trigger.weekdays.map((weekday) => weekdayNumbers[weekday]));
  const start = calendar.localOf(basis);
  // Eight days always include the next chosen weekday after today's time has passed.
  for (let offset = 0; offset <= 7; offset += 1) {
    const date = addDays(start, offset);
    if (!days.has(weekdayOf(date))) continue;
    const instant = calendar.instantOf({ ...date, hour, minute });
    if (instant > basis) return instant;
  }
  throw new RangeError(`no occurrence of ${trigger.time} within a week of ${new Date(basis).toISOString()}`);
}

/** The time the schedule counts from: its last run or its last edit, whichever is later. */
export function basisOf(schedule: Pick<StoredSchedule, 'updatedTime' | 'lastRunTime'>): number {
  return Math.max(schedule.updatedTime, schedule.lastRunTime ?? Number.NEGATIVE_INFINITY);
}

/** When a timed schedule is next due (possibly in the past: missed or waiting), or null for event triggers. */
export function dueTime(schedule: Pick<StoredSchedule, 'trigger' | 'updatedTime' | 'lastRunTime'>, calendar: ZonedCalendar): number | null {
  return isTimed(schedule.trigger) ? nextOccurrence(schedule.trigger, basisOf(schedule), calendar) : null;
}

/** Canonical weekday order (Monday first), without duplicates. */
export function sortWeekdays(weekdays: readonly Weekday[]): Weekday[] {
  const order: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return order.filter((weekday) => weekdays.includes(weekday));
}
