/**
 * The commands of `synccenter`, exactly as the issue specifies them. Each opens the host (endpoint or in-process),
 * runs one or more control calls and prints human text or `--json`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import type { TFunction } from 'i18next';
import type { ControlApi } from '../control/contract.ts';
import { ControlError } from '../control/result.ts';
import type { HandlerSummary, ItemSummary, ResolutionChoice, SyncResult } from '../control/schemas.ts';
import { resolveDataDir } from '../host/hostSettings.ts';
import { cliText, type CliLanguage } from './cliText.ts';
import { openHost, type HostConnection } from './hostConnection.ts';
import { formatConflicts, formatDetails, formatEvents, formatHandlers, formatResult, withProgress, type CliIo } from './output.ts';
import { registerScheduleCommands } from './scheduleCommands.ts';
import { serve } from './serveCommand.ts';
import type { ConflictPolicy } from '../control/schemas.ts';

/** Shared state of one CLI run. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
  /** The language of the human text (from `env`). */
  readonly language: CliLanguage;
  exitCode: number;
  readonly global: () => { dataDir?: string; json?: boolean };
}

type Selection = { all?: boolean; handler?: string[]; item?: string[] };

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
/** Built-in handlers whose setup arguments are paths. */
const pathHandlers = new Set(['folders', 'xml']);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Adds every command to the program. */
export function registerCommands(program: Command, context: CliContext): void {
  const t = cliText(context.language);
  const withHost = async <T>(run: (host: HostConnection) => Promise<T>): Promise<T> => {
    const host = await openHost(resolveDataDir(context.global().dataDir, context.env), context.env, true);
    try {
      return await run(host);
    } finally {
      await host.close();
    }
  };
  const print = (json: unknown, text: string): void => context.io.out(context.global().json === true ? JSON.stringify(json) : text);
  const ok = (text: string) => () => print({ ok: true }, text);

  program
    .command('add <handler> <args...>')
    .description(t('command.add.description'))
    .option('--name <name>', t('command.add.name'))
    .option('--exclude <pattern>', t('command.add.exclude'), collect, [])
    .option('--conflict-policy <policy>', t('command.add.conflictPolicy'))
    .action((handlerId: string, args: string[], options: { name?: string; exclude: string[]; conflictPolicy?: ConflictPolicy }) =>
      withHost(async ({ api }) => {
        // The host may run elsewhere (the desktop app): paths are made absolute here, against this shell's folder.
        const located = pathHandlers.has(handlerId) ? args.map((arg) => path.resolve(arg)) : args;
        // A location that does not exist is a wrong argument here (exit 2), not a sync that failed.
        const item = await api.addItem({ handlerId, args: located, name: options.name, exclude: options.exclude, conflictPolicy: options.conflictPolicy }).catch((error: unknown) => {
          throw error instanceof ControlError && error.code === 'ROOT_MISSING' ? new ControlError('BAD_PATH', error.message) : error;
        });
        print(item, item.id);
      }),
    );

  program
    .command('list')
    .description(t('command.list'))
    .action(() => withHost(async ({ api }) => {
      const handlers = await api.listHandlers({});
      print(handlers, formatHandlers(handlers, context.language));
    }));

  selection(program.command('sync').description(t('command.sync')), t).action((options: Selection) =>
    withHost(async ({ api }) => {
      const [newestBefore] = await api.listEvents({ limit: 1 });
      const result = await withProgress(api, context.io, context.language, () => startSelection(api, options, t));
      // What each item reported during this sync (what each side received, why it failed, what was kept), so every
      // outcome is explained: the events newer than the newest one before it (all, should that one be pruned meanwhile).
      const recent = await api.listEvents({ limit: 1000 });
      const seen = newestBefore === undefined ? -1 : recent.findIndex((event) => event.id === newestBefore.id);
      const reported = (seen === -1 ? recent : recent.slice(0, seen)).reverse();
      print(result, formatResult(result, reported, context.language));
      context.exitCode = await exitCodeFor(api, result);
    }),
  );

  selection(program.command('stop').description(t('command.stop')), t).action((options: Selection) =>
    withHost(async ({ api }) => {
      await stopSelection(api, options, t);
      ok(t('done.stopRequested'))();
    }),
  );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    program
      .command(`${name} <id>`)
      .description(t(`command.${name}`))
      .action((id: string) => withHost(async ({ api }) => {
        const handlers = await api.listHandlers({});
        if (handlers.some((handler) => handler.id === id)) await api.enableHandler({ handlerId: id, enabled });
        else await api.enableItem({ ...findItem(handlers, id, t), enabled });
        ok(t(enabled ? 'done.enabled' : 'done.disabled', { id }))();
      }));
  }

  program
    .command('show <item-id>')
    .description(t('command.show'))
    .action((id: string) => withHost(async ({ api }) => {
      const { handlerId, item } = findItemSummary(await api.listHandlers({}), id, t);
      const details = await api.getItemDetails({ handlerId, itemId: item.id });
      print(details, formatDetails(details, item, context.language));
    }));

  program
    .command('remove <item-id>')
    .description(t('command.remove'))
    .action((id: string) => withHost(async ({ api }) => {
      await api.deleteItem(findItem(await api.listHandlers({}), id, t));
      ok(t('done.removed', { id }))();
    }));

  program
    .command('conflicts')
    .description(t('command.conflicts'))
    .action(() => withHost(async ({ api }) => {
      const conflicts = await api.listConflicts({});
      print(conflicts, formatConflicts(conflicts, context.language));
    }));

  program
    .command('resolve <conflict-id>')
    .description(t('command.resolve.description'))
    .option('--keep <side>', t('command.resolve.keep'))
    .option('--skip', t('command.resolve.skip'))
    .option('--all-of-kind', t('command.resolve.allOfKind'))
    .action((conflictId: string, options: { keep?: string; skip?: boolean; allOfKind?: boolean }) =>
      withHost(async ({ api }) => {
        const result = await api.resolveConflict({ conflictId, choice: choiceOf(options, t), applyToAllOfKind: options.allOfKind === true });
        print(result, t('done.resolved', { count: result.resolved.length }));
      }),
    );

  program
    .command('events')
    .description(t('command.events.description'))
    .option('--level <level>', t('command.events.level'))
    .option('--limit <n>', t('command.events.limit'), wholeNumber(1, 10_000, t))
    .action((options: { level?: string; limit?: number }) => withHost(async ({ api }) => {
      const level = options.level as 'information' | 'warning' | 'error' | undefined;
      const events = await api.listEvents({ level, limit: options.limit });
      print(events, formatEvents(events, context.language));
    }));

  registerScheduleCommands(program, { withHost, print, language: context.language });

  program
    .command('serve')
    .description(t('command.serve.description'))
    .option('--port <n>', t('command.serve.port'), wholeNumber(0, 65_535, t), 0)
    .option('--renderer-dir <dir>', t('command.serve.rendererDir'), path.join(repoRoot, 'out', 'renderer'))
    .action((options: { port: number; rendererDir: string }) =>
      serve({ dataDir: resolveDataDir(context.global().dataDir, context.env), env: context.env, io: context.io, json: context.global().json === true, ...options }),
    );
}

/** An option parser for a whole number in [min, max]; anything else is a usage error (exit 2) naming the value. */
function wholeNumber(min: number, max: number, t: TFunction<'cli'>): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) throw new InvalidArgumentError(t('error.wholeNumber', { min, max }));
    return number;
  };
}

function selection(command: Command, t: TFunction<'cli'>): Command {
  return command
    .option('--all', t('command.selection.all'))
    .option('--handler <id>', t('command.selection.handler'), collect)
    .option('--item <id>', t('command.selection.item'), collect);
}

async function startSelection(api: ControlApi, options: Selection, t: TFunction<'cli'>): Promise<SyncResult> {
  if (options.item === undefined && options.handler === undefined) return api.startSyncAll({});
  const handlers = await api.listHandlers({});
  const requests: Promise<SyncResult>[] = (options.handler ?? []).map((handlerId) => api.startHandlerSync({ handlerId }));
  for (const [handlerId, itemIds] of groupItems(handlers, options.item ?? [], t)) requests.push(api.startItemSync({ handlerId, itemIds }));
  const results = await Promise.all(requests);
  const items = results.flatMap((result) => result.items);
  const status = results.some((r) => r.status === 'failed') ? 'failed' : results.some((r) => r.status === 'canceled') ? 'canceled' : 'succeeded';
  return { status, errors: sum(results, 'errors'), conflicts: sum(results, 'conflicts'), items };
}

async function stopSelection(api: ControlApi, options: Selection, t: TFunction<'cli'>): Promise<void> {
  if (options.item === undefined && options.handler === undefined) return void (await api.stopSyncAll({}));
  for (const handlerId of options.handler ?? []) await api.stopHandlerSync({ handlerId });
  for (const [handlerId, itemIds] of groupItems(await api.listHandlers({}), options.item ?? [], t)) await api.stopItemSync({ handlerId, itemIds });
}

function groupItems(handlers: readonly HandlerSummary[], refs: readonly string[], t: TFunction<'cli'>): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const ref of refs) {
    const { handlerId, itemId } = findItem(handlers, ref, t);
    groups.set(handlerId, [...(groups.get(handlerId) ?? []), itemId]);
  }
  return groups;
}

/** Finds an item by `handler/item` or by a bare id that only one handler has. */
export function findItem(handlers: readonly HandlerSummary[], ref: string, t: TFunction<'cli'>): { handlerId: string; itemId: string } {
  const { handlerId, item } = findItemSummary(handlers, ref, t);
  return { handlerId, itemId: item.id };
}

/** The item `ref` names (`<item-id>` or `<handler-id>/<item-id>`), with its handler's id. */
function findItemSummary(handlers: readonly HandlerSummary[], ref: string, t: TFunction<'cli'>): { handlerId: string; item: ItemSummary } {
  const [first, second] = ref.split('/', 2);
  const matches = handlers.flatMap((handler) =>
    handler.items.filter((item) => (second === undefined ? item.id === first : handler.id === first && item.id === second)).map((item) => ({ handlerId: handler.id, item })),
  );
  const [match] = matches;
  if (match === undefined) throw new ControlError('NOT_FOUND', t('error.noItem', { ref }));
  if (matches.length > 1) throw new ControlError('BAD_REQUEST', t('error.ambiguousItem', { ref }));
  return match;
}

function choiceOf(options: { keep?: string; skip?: boolean }, t: TFunction<'cli'>): ResolutionChoice {
  if (options.skip === true && options.keep === undefined) return 'skip';
  const choices: Record<string, ResolutionChoice> = { left: 'keepLeft', right: 'keepRight', both: 'keepAll', newer: 'keepNewer' };
  const choice = options.keep === undefined || options.skip === true ? undefined : choices[options.keep];
  if (choice === undefined) throw new ControlError('USAGE', t('error.oneChoice'));
  return choice;
}

/** 1 if an item failed, 3 if conflicts are open on the synced items, else 0. */
async function exitCodeFor(api: ControlApi, result: SyncResult): Promise<number> {
  if (result.status === 'failed') return 1;
  const synced = new Set(result.items.map((item) => `${item.handlerId}/${item.itemId}`));
  const open = (await api.listConflicts({})).filter((conflict) => synced.has(`${conflict.handlerId}/${conflict.itemId}`));
  return open.length > 0 || result.conflicts > 0 ? 3 : 0;
}

function sum(results: readonly SyncResult[], key: 'errors' | 'conflicts'): number {
  return results.reduce((total, result) => total + result[key], 0);
}
