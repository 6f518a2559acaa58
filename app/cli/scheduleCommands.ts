/**
 * `synccenter schedule list | add | remove | enable | disable`: the schedules of the host, edited through the
 * control API like every other command (the running app's endpoint if there is one, else the state directory).
 */
import type { Command } from 'commander';
import type { CallRequest, ControlApi } from '../control/contract.ts';
import { ControlError } from '../control/result.ts';
import type { Schedule, ScheduleTrigger, Weekday } from '../control/schemas.ts';
import { describeTrigger } from '../schedules/scheduleText.ts';
import type { HostConnection } from './hostConnection.ts';

/** What the schedule commands need from the CLI around them. */
export interface ScheduleCommandContext {
  readonly withHost: <T>(run: (host: HostConnection) => Promise<T>) => Promise<T>;
  readonly print: (json: unknown, text: string) => void;
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
export function registerScheduleCommands(program: Command, { withHost, print }: ScheduleCommandContext): void {
  const schedule = program.command('schedule').description('list, add and remove schedules (automatic syncs)');

  schedule
    .command('list')
    .description('schedules with their next run')
    .option('--handler <id>', 'only this handler’s')
    .action((options: { handler?: string }) =>
      withHost(async ({ api }) => {
        const schedules = await api.listSchedules({ handlerId: options.handler });
        print(schedules, formatSchedules(schedules));
      }),
    );

  schedule
    .command('add <targets...>')
    .description('schedule syncs of a handler, or of items (id or handler/id); give exactly one trigger; prints the id')
    .option('--every <minutes>', 'every N minutes')
    .option('--at <HH:MM>', 'at a local time of day')
    .option('--days <days>', 'with --at: comma-separated mon,tue,wed,thu,fri,sat,sun (default every day)')
    .option('--on-start', 'when Sync Center starts')
    .option('--idle <minutes>', 'when the computer has been idle N minutes')
    .option('--on-lock', 'when the session is locked')
    .option('--on-unlock', 'when the session is unlocked')
    .option('--on-change', 'when the items’ files change')
    .option('--delay <seconds>', 'with --on-change: quiet time after the last change (default 2)')
    .option('--change-interval <seconds>', 'with --on-change: at most one sync per this many seconds (default 0)')
    .option('--name <name>', 'display name (default: the trigger, e.g. "Every 15 minutes")')
    .option('--ac-only', 'only on AC power')
    .option('--min-interval <minutes>', 'not more often than every N minutes')
    .option('--disabled', 'create it turned off')
    .action((targets: string[], options: AddOptions) =>
      withHost(async ({ api }) => {
        const saved = await api.saveSchedule({
          ...(await resolveTargets(api, targets)),
          trigger: triggerOf(options),
          name: options.name,
          enabled: options.disabled === true ? false : undefined,
          conditions: { acPowerOnly: options.acOnly === true, minIntervalMinutes: options.minInterval === undefined ? null : Number(options.minInterval) },
        });
        print(saved, saved.id);
      }),
    );

  schedule
    .command('remove <schedule-id>')
    .description('delete a schedule')
    .action((id: string) =>
      withHost(async ({ api }) => {
        await api.removeSchedule({ id });
        print({ ok: true }, `Removed schedule ${id}.`);
      }),
    );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    schedule
      .command(`${name} <schedule-id>`)
      .description(`turn a schedule ${enabled ? 'on' : 'off'}`)
      .action((id: string) =>
        withHost(async ({ api }) => {
          const changed = await api.enableSchedule({ id, enabled });
          print(changed, `${enabled ? 'Enabled' : 'Disabled'} schedule ${id}.`);
        }),
      );
  }
}

/** A handler id alone means all its items; otherwise every target is an item of one handler. */
async function resolveTargets(api: ControlApi, targets: readonly string[]): Promise<Pick<CallRequest<'saveSchedule'>, 'handlerId' | 'itemIds'>> {
  const handlers = await api.listHandlers({});
  const [first] = targets;
  if (targets.length === 1 && first !== undefined && handlers.some((handler) => handler.id === first)) return { handlerId: first, itemIds: null };
  const items = targets.map((ref) => findItemRef(handlers, ref));
  const handlerIds = new Set(items.map((item) => item.handlerId));
  const [handlerId] = handlerIds;
  if (handlerId === undefined || handlerIds.size > 1) throw new ControlError('USAGE', 'A schedule covers one handler: give a handler id, or items of one handler.');
  return { handlerId, itemIds: items.map((item) => item.itemId) };
}

function findItemRef(handlers: Awaited<ReturnType<ControlApi['listHandlers']>>, ref: string): { handlerId: string; itemId: string } {
  const [first, second] = ref.split('/', 2);
  const matches = handlers.flatMap((handler) =>
    handler.items.filter((item) => (second === undefined ? item.id === first : handler.id === first && item.id === second)).map((item) => ({ handlerId: handler.id, itemId: item.id })),
  );
  const [match] = matches;
  if (match === undefined) throw new ControlError('NOT_FOUND', `No handler or item "${ref}".`);
  if (matches.length > 1) throw new ControlError('BAD_REQUEST', `"${ref}" names items of several handlers; write handler/item.`);
  return match;
}

/** Exactly one trigger option; numbers are passed on as given so the contract's messages name what is wrong. */
export function triggerOf(options: AddOptions): ScheduleTrigger {
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
  if (trigger === undefined || triggers.length > 1) throw new ControlError('USAGE', 'Give exactly one of --every, --at, --on-start, --idle, --on-lock, --on-unlock or --on-change.');
  if (options.days !== undefined && trigger.kind !== 'timeOfDay') throw new ControlError('USAGE', '--days goes with --at.');
  return trigger;
}

function daysOf(days: string | undefined): Weekday[] {
  if (days === undefined) return allDays;
  return days.split(',').map((day) => day.trim().toLowerCase().slice(0, 3)) as Weekday[];
}

const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString());

/** One line per schedule: id, name, state, what it syncs, when, conditions, next and last run. */
export function formatSchedules(schedules: readonly Schedule[]): string {
  if (schedules.length === 0) return 'No schedules.';
  return schedules
    .map((schedule) => {
      const target = schedule.itemIds === null ? `${schedule.handlerId} (all items)` : schedule.itemIds.map((itemId) => `${schedule.handlerId}/${itemId}`).join(', ');
      const conditions = [schedule.conditions.acPowerOnly ? 'AC power only' : null, schedule.conditions.minIntervalMinutes === null ? null : `at most every ${schedule.conditions.minIntervalMinutes} min`].filter(Boolean);
      const state = schedule.enabled ? '' : ' (disabled)';
      return `${schedule.id}  ${schedule.name}${state}  ${target}  ${describeTrigger(schedule.trigger)}${conditions.length > 0 ? ` [${conditions.join(', ')}]` : ''}  next ${time(schedule.nextRunTime)}  last ${time(schedule.lastRunTime)}`;
    })
    .join('\n');
}
