/**
 * The scheduler's user-visible text (default schedule names, the Sync Results line that says what started a
 * sync, the schedule calls' errors) in English and French, in the host's language like the built-in handlers' text.
 */
import type { TFunction } from 'i18next';
import type { ScheduleTrigger } from '../control/schemas.ts';
import { textCatalog } from '../runtime/hostText.ts';
import en from './locales/en.json' with { type: 'json' };
import fr from './locales/fr.json' with { type: 'json' };

/** A translator for the host's language (or the one given). */
export const scheduleText = textCatalog('schedules', en, fr);

/** "Every 15 minutes", "At 09:00 on Mon, Wed", "When files change"… */
export function describeTrigger(trigger: ScheduleTrigger, t: TFunction<'schedules'> = scheduleText()): string {
  switch (trigger.kind) {
    case 'interval':
      return t('trigger.interval', { count: trigger.minutes });
    case 'idle':
      return t('trigger.idle', { count: trigger.minutes });
    case 'timeOfDay':
      if (trigger.weekdays.length === 7) return t('trigger.timeOfDayDaily', { time: trigger.time });
      return t('trigger.timeOfDay', { time: trigger.time, days: trigger.weekdays.map((weekday) => t(`weekday.${weekday}`)).join(', ') });
    default:
      return t(`trigger.${trigger.kind}`);
  }
}
