/**
 * `synccenter schedule list | add | remove | enable | disable`: the schedules of the host, edited through the
 * control API like every other command (the running app's endpoint if there is one, else the state directory).
 */
import type { Command } from 'commander';
import type { TFunction } from 'i18next';
import type { CallRequest, ControlApi } from '../control/contract.ts';
import { ControlError } from '../control/result.ts';
import type { Schedule, ScheduleTrigger, Weekday } from '../control/schemas.ts';
import { describeTrigger, scheduleText } from '../schedules/scheduleText.ts';
import { cliText, formatTime, type CliLanguage } from './cliText.ts';
import type { HostConnection } from './hostConnection.ts';

/** What the schedule commands need from the CLI around them. */
export interface ScheduleCommandContext {
  readonly withHost: <T>(run: (host: HostConnection) => Promise<T>) => Promise<T>;
  readonly print: (json: unknown, text: string) => void;
  readonly language: CliLanguage;
}

interface AddOptions {
  every?: string;
  at?: string;
  days?: string;
  onStart?: boolean;
  idle?: string;
  onLock?: boolean;
  onUnlock?: boolean;
  onChange?: boolean;
  delay?: string;
  changeInterval?: string;
  name?: string;
  acOnly?: boolean;
  minInterval?: string;
  disabled?: boolean;
}

const allDays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Adds `schedule` and its subcommands. */
export function registerScheduleCommands(program: Command, { withHost, print, language }: ScheduleCommandContext): void {
  const t = cliText(language);
  const schedule = program.command('schedule').description(t('command.schedule.description'));

  schedule
    .command('list')
    .description(t('command.schedule.list'))
    .option('--handler <id>', t('command.schedule.listHandler'))
    .action((options: { handler?: string }) =>
      withHost(async ({ api }) => {
        const schedules = await api.listSchedules({ handlerId: options.handler });
        print(schedules, formatSchedules(schedules, language));
      }),
    );

  schedule
    .command('add <targets...>')
    .description(t('command.schedule.add'))
    .option('--every <minutes>', t('command.schedule.every'))
    .option('--at <HH:MM>', t('command.schedule.at'))
    .option('--days <days>', t('command.schedule.days'))
    .option('--on-start', t('command.schedule.onStart'))
    .option('--idle <minutes>', t('command.schedule.idle'))
    .option('--on-lock', t('command.schedule.onLock'))
    .option('--on-unlock', t('command.schedule.onUnlock'))
    .option('--on-change', t('command.schedule.onChange'))
    .option('--delay <seconds>', t('command.schedule.delay'))
    .option('--change-interval <seconds>', t('command.schedule.changeInterval'))
    .option('--name <name>', t('command.schedule.name'))
    .option('--ac-only', t('command.schedule.acOnly'))
    .option('--min-interval <minutes>', t('command.schedule.minInterval'))
    .option('--disabled', t('command.schedule.disabled'))
    .action((targets: string[], options: AddOptions) =>
      withHost(async ({ api }) => {
        const saved = await api.saveSchedule({
          ...(await resolveTargets(api, targets, t)),
          trigger: triggerOf(options, t),
          name: options.name,
          enabled: options.disabled === true ? false : undefined,
          conditions: { acPowerOnly: options.acOnly === true, minIntervalMinutes: options.minInterval === undefined ? null : Number(options.minInterval) },
        });
        print(saved, saved.id);
      }),
    );

  schedule
    .command('remove <schedule-id>')
    .description(t('command.schedule.remove'))
    .action((id: string) =>
      withHost(async ({ api }) => {
        await api.removeSchedule({ id });
        print({ ok: true }, t('done.scheduleRemoved', { id }));
      }),
    );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    schedule
      .command(`${name} <schedule-id>`)
      .description(t(`command.schedule.${name}`))
      .action((id: string) =>
        withHost(async ({ api }) => {
          const changed = await api.enableSchedule({ id, enabled });
          print(changed, t(enabled ? 'done.scheduleEnabled' : 'done.scheduleDisabled', { id }));
        }),
      );
  }
}

/** A handler id alone means all its items; otherwise every target is an item of one handler. */
async function resolveTargets(api: ControlApi, targets: readonly string[], t: TFunction<'cli'>): Promise<Pick<CallRequest<'saveSchedule'>, 'handlerId' | 'itemIds'>> {
  const handlers = await api.listHandlers({});
  const [first] = targets;
  if (targets.length === 1 && first !== undefined && handlers.some((handler) => handler.id === first)) return { handlerId: first, itemIds: null };
  const items = targets.map((ref) => findItemRef(handlers, ref, t));
  const handlerIds = new Set(items.map((item) => item.handlerId));
  const [handlerId] = handlerIds;
  if (handlerId === undefined || handlerIds.size > 1) throw new ControlError('USAGE', t('error.oneHandler'));
  return { handlerId, itemIds: items.map((item) => item.itemId) };
}

function findItemRef(handlers: Awaited<ReturnType<ControlApi['listHandlers']>>, ref: string, t: TFunction<'cli'>): { handlerId: string; itemId: string } {
  const [first, second] = ref.split('/', 2);
  const matches = handlers.flatMap((handler) =>
    handler.items.filter((item) => (second === undefined ? item.id === first : handler.id === first && item.id === second)).map((item) => ({ handlerId: handler.id, itemId: item.id })),
  );
  const [match] = matches;
  if (match === undefined) throw new ControlError('NOT_FOUND', t('error.noHandlerOrItem', { ref }));
  if (matches.length > 1) throw new ControlError('BAD_REQUEST', t('error.ambiguousItem', { ref }));
  return match;
}

/** Exactly one trigger option; numbers are passed on as given so the contract's messages name what is wrong. */
export function triggerOf(options: AddOptions, t: TFunction<'cli'>): ScheduleTrigger {
  const triggers: ScheduleTrigger[] = [];
  if (options.every !== undefined) triggers.push({ kind: 'interval', minutes: Number(options.every) });
  if (options.at !== undefined) triggers.push({ kind: 'timeOfDay', time: options.at, weekdays: daysOf(options.days) });
  if (options.onStart === true) triggers.push({ kind: 'appStart' });
  if (options.idle !== undefined) triggers.push({ kind: 'idle', minutes: Number(options.idle) });
  if (options.onLock === true) triggers.push({ kind: 'lock' });
  if (options.onUnlock === true) triggers.push({ kind: 'unlock' });
  if (options.onChange === true) {
    triggers.push({ kind: 'fileChange', delaySeconds: options.delay === undefined ? 2 : Number(options.delay), minIntervalSeconds: options.changeInterval === undefined ? 0 : Number(options.changeInterval) });
  }
  const [trigger] = triggers;
  if (trigger === undefined || triggers.length > 1) throw new ControlError('USAGE', t('error.oneTrigger'));
  if (options.days !== undefined && trigger.kind !== 'timeOfDay') throw new ControlError('USAGE', t('error.daysWithAt'));
  return trigger;
}

function daysOf(days: string | undefined): Weekday[] {
  if (days === undefined) return allDays;
  return days.split(',').map((day) => day.trim().toLowerCase().slice(0, 3)) as Weekday[];
}

const time = (ms: number | null, language: CliLanguage): string => (ms === null ? '—' : formatTime(ms, language));

/** One line per schedule: id, name, state, what it syncs, when, conditions, next and last run. */
export function formatSchedules(schedules: readonly Schedule[], language: CliLanguage): string {
  const t = cliText(language);
  if (schedules.length === 0) return t('schedules.none');
  return schedules
    .map((schedule) => {
      const target = schedule.itemIds === null ? t('schedules.allItems', { handler: schedule.handlerId }) : schedule.itemIds.map((itemId) => `${schedule.handlerId}/${itemId}`).join(', ');
      const { acPowerOnly, minIntervalMinutes } = schedule.conditions;
      const conditions = [acPowerOnly ? t('schedules.acOnly') : null, minIntervalMinutes === null ? null : t('schedules.minInterval', { minutes: minIntervalMinutes })].filter(Boolean);
      const state = schedule.enabled ? '' : ` ${t('schedules.disabled')}`;
      const runs = t('schedules.runs', { next: time(schedule.nextRunTime, language), last: time(schedule.lastRunTime, language) });
      return `${schedule.id}  ${schedule.name}${state}  ${target}  ${describeTrigger(schedule.trigger, scheduleText(language))}${conditions.length > 0 ? ` [${conditions.join(', ')}]` : ''}  ${runs}`;
    })
    .join('\n');
}
