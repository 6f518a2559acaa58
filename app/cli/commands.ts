/**
 * The commands of `synccenter`, exactly as the issue specifies them. Each opens the host (endpoint or in-process),
 * runs one or more control calls and prints human text or `--json`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import type { ControlApi } from '../control/contract.ts';
import { ControlError } from '../control/result.ts';
import type { HandlerSummary, ResolutionChoice, SyncResult } from '../control/schemas.ts';
import { resolveDataDir } from '../host/hostSettings.ts';
import { openHost, type HostConnection } from './hostConnection.ts';
import { formatConflicts, formatDetails, formatEvents, formatHandlers, formatResult, withProgress, type CliIo } from './output.ts';
import { registerScheduleCommands } from './scheduleCommands.ts';
import { serve } from './serveCommand.ts';
import type { ConflictPolicy } from '../control/schemas.ts';

/** Shared state of one CLI run. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  readonly io: CliIo;
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
    .description('create a sync item through a handler (e.g. add folders <left> <right>); prints its id')
    .option('--name <name>', 'display name')
    .option('--exclude <pattern>', 'exclude pattern (repeatable)', collect, [])
    .option('--conflict-policy <policy>', 'ask (default), newerWins, leftWins, rightWins or keepBoth')
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
    .description('handlers and items with states, last sync, error/conflict counts')
    .action(() => withHost(async ({ api }) => {
      const handlers = await api.listHandlers({});
      print(handlers, formatHandlers(handlers));
    }));

  selection(program.command('sync').description('run a sync, wait, print per-item results')).action((options: Selection) =>
    withHost(async ({ api }) => {
      const started = Date.now();
      const result = await withProgress(api, context.io, () => startSelection(api, options));
      // What each item reported during this sync (why it failed, what was kept), so every outcome is explained.
      const reported = (await api.listEvents({ limit: 1000 })).filter((event) => event.time >= started - 1000).reverse();
      print(result, formatResult(result, reported));
      context.exitCode = await exitCodeFor(api, result);
    }),
  );

  selection(program.command('stop').description('stop running and queued syncs')).action((options: Selection) =>
    withHost(async ({ api }) => {
      await stopSelection(api, options);
      ok('Stop requested.')();
    }),
  );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    program
      .command(`${name} <id>`)
      .description(`${name} a handler or an item (item ids may be written handler/item)`)
      .action((id: string) => withHost(async ({ api }) => {
        const handlers = await api.listHandlers({});
        if (handlers.some((handler) => handler.id === id)) await api.enableHandler({ handlerId: id, enabled });
        else await api.enableItem({ ...findItem(handlers, id), enabled });
        ok(`${enabled ? 'Enabled' : 'Disabled'} ${id}.`)();
      }));
  }

  program
    .command('show <item-id>')
    .description('where an item lives, its options and what its last session did (item ids may be written handler/item)')
    .action((id: string) => withHost(async ({ api }) => {
      const handlers = await api.listHandlers({});
      const ref = findItem(handlers, id);
      const details = await api.getItemDetails(ref);
      const name = handlers.find((handler) => handler.id === ref.handlerId)?.items.find((item) => item.id === ref.itemId)?.name ?? ref.itemId;
      print(details, formatDetails(details, name));
    }));

  program
    .command('remove <item-id>')
    .description('delete a sync item')
    .action((id: string) => withHost(async ({ api }) => {
      await api.deleteItem(findItem(await api.listHandlers({}), id));
      ok(`Removed ${id}.`)();
    }));

  program
    .command('conflicts')
    .description('open conflicts, with ids, kinds and versions')
    .action(() => withHost(async ({ api }) => {
      const conflicts = await api.listConflicts({});
      print(conflicts, formatConflicts(conflicts));
    }));

  program
    .command('resolve <conflict-id>')
    .description('resolve a conflict: --keep left|right|both|newer, or --skip')
    .option('--keep <side>', 'left, right, both or newer')
    .option('--skip', 'leave it for the next sync')
    .option('--all-of-kind', 'apply the same choice to every open conflict of this kind')
    .action((conflictId: string, options: { keep?: string; skip?: boolean; allOfKind?: boolean }) =>
      withHost(async ({ api }) => {
        const result = await api.resolveConflict({ conflictId, choice: choiceOf(options), applyToAllOfKind: options.allOfKind === true });
        print(result, `Resolved ${result.resolved.length} conflict(s).`);
      }),
    );

  program
    .command('events')
    .description('Sync Results, newest first')
    .option('--level <level>', 'information, warning or error')
    .option('--limit <n>', 'at most n events', wholeNumber(1, 10_000))
    .action((options: { level?: string; limit?: number }) => withHost(async ({ api }) => {
      const level = options.level as 'information' | 'warning' | 'error' | undefined;
      const events = await api.listEvents({ level, limit: options.limit });
      print(events, formatEvents(events));
    }));

  registerScheduleCommands(program, { withHost, print });

  program
    .command('serve')
    .description('the local web host (127.0.0.1 only); prints the window URL first, runs until interrupted')
    .option('--port <n>', 'port (0 picks a free one)', wholeNumber(0, 65_535), 0)
    .option('--renderer-dir <dir>', 'built renderer', path.join(repoRoot, 'out', 'renderer'))
    .action((options: { port: number; rendererDir: string }) =>
      serve({ dataDir: resolveDataDir(context.global().dataDir, context.env), env: context.env, io: context.io, json: context.global().json === true, ...options }),
    );
}

/** An option parser for a whole number in [min, max]; anything else is a usage error (exit 2) naming the value. */
function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(number >= min && number <= max)) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return number;
  };
}

function selection(command: Command): Command {
  return command
    .option('--all', 'every handler (the default)')
    .option('--handler <id>', 'a handler (repeatable)', collect)
    .option('--item <id>', 'an item, as id or handler/id (repeatable)', collect);
}

async function startSelection(api: ControlApi, options: Selection): Promise<SyncResult> {
  if (options.item === undefined && options.handler === undefined) return api.startSyncAll({});
  const handlers = await api.listHandlers({});
  const requests: Promise<SyncResult>[] = (options.handler ?? []).map((handlerId) => api.startHandlerSync({ handlerId }));
  for (const [handlerId, itemIds] of groupItems(handlers, options.item ?? [])) requests.push(api.startItemSync({ handlerId, itemIds }));
  const results = await Promise.all(requests);
  const items = results.flatMap((result) => result.items);
  const status = results.some((r) => r.status === 'failed') ? 'failed' : results.some((r) => r.status === 'canceled') ? 'canceled' : 'succeeded';
  return { status, errors: sum(results, 'errors'), conflicts: sum(results, 'conflicts'), items };
}

async function stopSelection(api: ControlApi, options: Selection): Promise<void> {
  if (options.item === undefined && options.handler === undefined) return void (await api.stopSyncAll({}));
  for (const handlerId of options.handler ?? []) await api.stopHandlerSync({ handlerId });
  for (const [handlerId, itemIds] of groupItems(await api.listHandlers({}), options.item ?? [])) await api.stopItemSync({ handlerId, itemIds });
}

function groupItems(handlers: readonly HandlerSummary[], refs: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const ref of refs) {
    const { handlerId, itemId } = findItem(handlers, ref);
    groups.set(handlerId, [...(groups.get(handlerId) ?? []), itemId]);
  }
  return groups;
}

/** Finds an item by `handler/item` or by a bare id that only one handler has. */
export function findItem(handlers: readonly HandlerSummary[], ref: string): { handlerId: string; itemId: string } {
  const [first, second] = ref.split('/', 2);
  const matches = handlers.flatMap((handler) =>
    handler.items.filter((item) => (second === undefined ? item.id === first : handler.id === first && item.id === second)).map((item) => ({ handlerId: handler.id, itemId: item.id })),
  );
  const [match] = matches;
  if (match === undefined) throw new ControlError('NOT_FOUND', `No item "${ref}".`);
  if (matches.length > 1) throw new ControlError('BAD_REQUEST', `"${ref}" names items of several handlers; write handler/item.`);
  return match;
}

function choiceOf(options: { keep?: string; skip?: boolean }): ResolutionChoice {
  if (options.skip === true && options.keep === undefined) return 'skip';
  const choices: Record<string, ResolutionChoice> = { left: 'keepLeft', right: 'keepRight', both: 'keepAll', newer: 'keepNewer' };
  const choice = options.keep === undefined || options.skip === true ? undefined : choices[options.keep];
  if (choice === undefined) throw new ControlError('USAGE', 'Give exactly one of --keep left|right|both|newer or --skip.');
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
