/**
 * Wall-clock time in one IANA time zone, computed with `Intl` so the zone is a parameter (tests pin
 * Europe/Paris or America/New_York whatever the machine's zone is). Converting a local time to an instant is
 * DST-safe the way Temporal's "compatible" disambiguation is: a time skipped by a spring-forward gap moves
 * forward by the gap's length (02:30 becomes 03:30), and a time repeated by a fall-back overlap means its first
 * occurrence.
 */

/** A civil date and time of day, without a zone. `month` is 1–12. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** The local calendar of one zone. */
export interface ZonedCalendar {
  readonly timeZone: string;
  /** The wall-clock reading of an instant (seconds dropped). */
  localOf(instant: number): LocalDateTime;
  /** The instant a wall-clock reading names (see the module comment for gaps and overlaps). */
  instantOf(local: LocalDateTime): number;
}

const day = 86_400_000;

/** The machine's zone, as the host sees it. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A calendar for `timeZone`; throws a RangeError for an unknown zone. */
export function zonedCalendar(timeZone: string = systemTimeZone()): ZonedCalendar {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const fieldsOf = (instant: number): LocalDateTime & { second: number } => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 };
  };
  // Milliseconds to add to UTC to read the local clock at `instant`.
  const offsetAt = (instant: number): number => {
    const local = fieldsOf(instant);
    const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
    return wall - (instant - (((instant % 1000) + 1000) % 1000));
  };
  return {
    timeZone,
    localOf: (instant) => {
      const { year, month, day: date, hour, minute } = fieldsOf(instant);
      return { year, month, day: date, hour, minute };
    },
    instantOf(local) {
      const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
      const before = offsetAt(wall - day);
      const after = offsetAt(wall + day);
      const candidates = [wall - before, wall - after].filter((instant) => offsetAt(instant) + instant === wall);
      // Both valid: an overlap, take the first occurrence. None: a gap, read the time with the offset before it.
      return candidates.length > 0 ? Math.min(...candidates) : wall - before;
    },
  };
}

/** The civil date `days` after the given one (any count, either sign). */
export function addDays(local: LocalDateTime, days: number): LocalDateTime {
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  return { ...local, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The weekday of a civil date: 0 Sunday … 6 Saturday. */
export function weekdayOf(local: LocalDateTime): number {
  return new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
}
