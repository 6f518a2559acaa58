import { describe, expect, test } from 'vitest';
import type { Schedule } from '../../../app/control/schemas.ts';
import { createI18n } from '../../i18n/i18n.ts';
import { describeTrigger, draftOf, newDraft, requestOf, validateDraft } from './scheduleDraft.ts';

const target = { handlerId: 'folders', itemId: 'photos', keptItemIds: null };

describe('schedule drafts', () => {
  test('a fresh draft is every 15 minutes on the selected item, named after its trigger in the window language', () => {
    const { t } = createI18n('en');
    expect(requestOf(newDraft('item'), target, t)).toEqual({
      name: 'Every 15 minutes',
      enabled: true,
      handlerId: 'folders',
      itemIds: ['photos'],
      trigger: { kind: 'interval', minutes: 15 },
      conditions: { acPowerOnly: false, minIntervalMinutes: null },
    });
    const french = createI18n('fr');
    expect(requestOf({ ...newDraft('handler'), kind: 'fileChange' }, target, french.t)).toMatchObject({ name: 'Quand des fichiers changent', itemIds: null, trigger: { kind: 'fileChange', delaySeconds: 2 } });
  });

  test('invalid fields are named before the host is asked', () => {
    expect(validateDraft({ ...newDraft('item'), minutes: '0' })).toEqual({ minutes: 'minutes' });
    expect(validateDraft({ ...newDraft('item'), minutes: '1.5' })).toEqual({ minutes: 'minutes' });
    expect(validateDraft({ ...newDraft('item'), kind: 'timeOfDay', time: '', days: [] })).toEqual({ time: 'time', days: 'days' });
    expect(validateDraft({ ...newDraft('item'), kind: 'fileChange', delaySeconds: '0' })).toEqual({ delaySeconds: 'delaySeconds' });
    expect(validateDraft({ ...newDraft('item'), limitInterval: true, minIntervalMinutes: '-3' })).toEqual({ minIntervalMinutes: 'minutes' });
    expect(validateDraft({ ...newDraft('item'), kind: 'unlock', minutes: '' })).toEqual({});
  });

  test('editing round-trips a schedule, keeping a selection of several items as it is', () => {
    const { t } = createI18n('en');
    const schedule: Schedule = {
      id: 's1',
      name: 'Mornings',
      enabled: false,
      handlerId: 'folders',
      itemIds: ['photos', 'music'],
      trigger: { kind: 'timeOfDay', time: '07:30', weekdays: ['mon', 'fri'] },
      conditions: { acPowerOnly: true, minIntervalMinutes: 60 },
      lastRunTime: null,
      nextRunTime: null,
    };
    const draft = draftOf(schedule, 'photos');
    expect(draft.scope).toBe('kept');
    expect(requestOf(draft, { ...target, keptItemIds: schedule.itemIds }, t)).toEqual({
      id: 's1',
      name: 'Mornings',
      enabled: false,
      handlerId: 'folders',
      itemIds: ['photos', 'music'],
      trigger: schedule.trigger,
      conditions: schedule.conditions,
    });
    expect(describeTrigger(schedule.trigger, t)).toBe('At 07:30 on Mon, Fri');
    expect(describeTrigger({ kind: 'idle', minutes: 1 }, createI18n('fr').t)).toBe('Quand l’ordinateur est inactif depuis 1 minute');
  });
});
