import type { TFunction } from 'i18next';
import type { CallRequest } from '../../../app/control/contract.ts';
import type { Schedule, ScheduleTrigger, ScheduleTriggerKind, Weekday } from '../../../app/control/schemas.ts';

/** Trigger kinds in the order the editor offers them. */
export const triggerKinds: readonly ScheduleTriggerKind[] = ['interval', 'timeOfDay', 'fileChange', 'appStart', 'idle', 'lock', 'unlock'];
export const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** What the schedule syncs: only the selected item, every item of the handler, or the items it already names. */
export type ScheduleScope = 'item' | 'handler' | 'kept';

/** The editor's state: every field as typed, so a half-written number stays on screen. */
export interface ScheduleDraft {
  readonly id: string | null;
  readonly name: string;
  readonly enabled: boolean;
  readonly scope: ScheduleScope;
  readonly kind: ScheduleTriggerKind;
  readonly minutes: string;
  readonly time: string;
  readonly days: readonly Weekday[];
  readonly delaySeconds: string;
  readonly acPowerOnly: boolean;
  readonly limitInterval: boolean;
  readonly minIntervalMinutes: string;
}

/** Fields that can be wrong, with the i18n key (under `schedules.errors.`) of what is wrong. */
export type DraftErrors = Partial<Record<'minutes' | 'time' | 'days' | 'delaySeconds' | 'minIntervalMinutes', string>>;

/** A fresh draft: every 15 minutes, on. */
export function newDraft(scope: ScheduleScope): ScheduleDraft {
  return { id: null, name: '', enabled: true, scope, kind: 'interval', minutes: '15', time: '09:00', days: weekdays, delaySeconds: '2', acPowerOnly: false, limitInterval: false, minIntervalMinutes: '30' };
}

/** The draft that edits an existing schedule. */
export function draftOf(schedule: Schedule, itemId: string | null): ScheduleDraft {
  const { trigger } = schedule;
  const scope: ScheduleScope = schedule.itemIds === null ? 'handler' : itemId !== null && schedule.itemIds.length === 1 && schedule.itemIds[0] === itemId ? 'item' : 'kept';
  return {
    ...newDraft(scope),
    id: schedule.id,
    name: schedule.name,
    enabled: schedule.enabled,
    kind: trigger.kind,
    minutes: trigger.kind === 'interval' || trigger.kind === 'idle' ? String(trigger.minutes) : '15',
    time: trigger.kind === 'timeOfDay' ? trigger.time : '09:00',
    days: trigger.kind === 'timeOfDay' ? trigger.weekdays : weekdays,
    delaySeconds: trigger.kind === 'fileChange' ? String(trigger.delaySeconds) : '2',
    acPowerOnly: schedule.conditions.acPowerOnly,
    limitInterval: schedule.conditions.minIntervalMinutes !== null,
    minIntervalMinutes: schedule.conditions.minIntervalMinutes === null ? '30' : String(schedule.conditions.minIntervalMinutes),
  };
}

const wholeNumber = (text: string, max: number): boolean => /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= max;

/** What the window can check before asking the host (which checks again). */
export function validateDraft(draft: ScheduleDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.kind === 'interval' && !wholeNumber(draft.minutes, 44_640)) errors.minutes = 'minutes';
  if (draft.kind === 'idle' && !wholeNumber(draft.minutes, 1440)) errors.minutes = 'idleMinutes';
  if (draft.kind === 'timeOfDay' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.time)) errors.time = 'time';
  if (draft.kind === 'timeOfDay' && draft.days.length === 0) errors.days = 'days';
  const delay = Number(draft.delaySeconds);
  if (draft.kind === 'fileChange' && (draft.delaySeconds.trim() === '' || !Number.isFinite(delay) || delay < 0.1 || delay > 3600)) errors.delaySeconds = 'delaySeconds';
  if (draft.limitInterval && !wholeNumber(draft.minIntervalMinutes, 10_080)) errors.minIntervalMinutes = 'minutes';
  return errors;
}

/** The trigger a valid draft describes. */
export function triggerOf(draft: ScheduleDraft): ScheduleTrigger {
  switch (draft.kind) {
    case 'interval':
    case 'idle':
      return { kind: draft.kind, minutes: Number(draft.minutes) };
    case 'timeOfDay':
      return { kind: 'timeOfDay', time: draft.time, weekdays: weekdays.filter((day) => draft.days.includes(day)) };
    case 'fileChange':
      return { kind: 'fileChange', delaySeconds: Number(draft.delaySeconds), minIntervalSeconds: 0 };
    default:
      return { kind: draft.kind };
  }
}

/** The saveSchedule request of a valid draft; an empty name becomes the trigger's description in the window's language. */
export function requestOf(draft: ScheduleDraft, target: { handlerId: string; itemId: string | null; keptItemIds: readonly string[] | null }, t: TFunction): CallRequest<'saveSchedule'> {
  const trigger = triggerOf(draft);
  const itemIds = draft.scope === 'handler' ? null : draft.scope === 'kept' ? (target.keptItemIds === null ? null : [...target.keptItemIds]) : target.itemId === null ? null : [target.itemId];
  return {
    ...(draft.id === null ? {} : { id: draft.id }),
    name: draft.name.trim().length > 0 ? draft.name.trim().slice(0, 128) : describeTrigger(trigger, t),
    enabled: draft.enabled,
    handlerId: target.handlerId,
    itemIds,
    trigger,
    conditions: { acPowerOnly: draft.acPowerOnly, minIntervalMinutes: draft.limitInterval ? Number(draft.minIntervalMinutes) : null },
  };
}

/** "Every 15 minutes", "At 09:00 on Mon, Fri", "When files change"… in the window's language. */
export function describeTrigger(trigger: ScheduleTrigger, t: TFunction): string {
  switch (trigger.kind) {
    case 'interval':
    case 'idle':
      // One minute has its own wording; larger counts read the same in both languages' plural rules.
      return trigger.minutes === 1 ? t(`schedules.trigger.${trigger.kind}Single`) : t(`schedules.trigger.${trigger.kind}`, { count: trigger.minutes });
    case 'timeOfDay':
      if (trigger.weekdays.length === 7) return t('schedules.trigger.timeOfDayDaily', { time: trigger.time });
      return t('schedules.trigger.timeOfDay', { time: trigger.time, days: trigger.weekdays.map((day) => t(`schedules.weekdaysShort.${day}`)).join(', ') });
    default:
      return t(`schedules.trigger.${trigger.kind}`);
  }
}
