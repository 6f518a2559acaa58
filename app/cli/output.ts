/**
 * What the CLI prints: human text in the CLI's language or `--json` (schemas in `cliJson` of the contract), and a
 * progress bar that appears only on a terminal. States, levels, kinds and sides are the host's values, shown as is.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { TFunction } from 'i18next';
import type { ControlApi } from '../control/contract.ts';
import type { Conflict, DirectionStatistics, HandlerSummary, ItemDetails, ItemSummary, SyncResult, SyncResultEvent } from '../control/schemas.ts';
import { cliText, formatTime, type CliLanguage } from './cliText.ts';

/** Where the CLI writes. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  isTty: process.stdout.isTTY === true,
};

const time = (ms: number | null, t: TFunction<'cli'>, language: CliLanguage): string => (ms === null ? t('never') : formatTime(ms, language));

/** `list`: each handler, then its items, with state, last sync and counts. */
export function formatHandlers(handlers: readonly HandlerSummary[], language: CliLanguage): string {
  const t = cliText(language);
  if (handlers.length === 0) return t('handlers.none');
  const flag = (shown: boolean, key: 'handlers.disabled' | 'handlers.inactive'): string => (shown ? ` ${t(key)}` : '');
  const counts = (entry: { lastSyncTime: number | null; errorCount: number; conflictCount: number }): string =>
    `${t('handlers.lastSync', { time: time(entry.lastSyncTime, t, language) })}  ${t('counts', { errors: entry.errorCount, conflicts: entry.conflictCount })}`;
  return handlers
    .flatMap((handler) => [
      `${handler.id}  ${handler.name}  [${handler.state}]${flag(!handler.enabled, 'handlers.disabled')}${flag(!handler.active, 'handlers.inactive')}  ${counts(handler)}`,
      ...handler.items.map((item) => `  ${item.id}  ${item.name}  [${item.state}]${flag(!item.enabled, 'handlers.disabled')}  ${counts(item)}`),
    ])
    .join('\n');
}

/** Per-item outcomes, each followed by the events it reported during the sync (oldest first). */
export function formatResult(result: SyncResult, events: readonly SyncResultEvent[], language: CliLanguage): string {
  const t = cliText(language);
  const lines = result.items.flatMap((item) => [
    `${item.handlerId}/${item.itemId}  ${item.state}  ${t('counts', { errors: item.errors, conflicts: item.conflicts })}`,
    ...events
      .filter((event) => event.handlerId === item.handlerId && event.itemId === item.itemId)
      .map((event) => `    ${t('result.event', { level: event.level, name: event.name, description: event.description })}`),
  ]);
  const [items, errors, conflicts] = [t('result.items', { count: result.items.length }), t('result.errors', { count: result.errors }), t('result.conflicts', { count: result.conflicts })];
  return [...lines, t('result.summary', { status: result.status, items, errors, conflicts })].join('\n');
}

/**
 * `show`: an item's locations, options, its conflicts open now (`conflictCount` of its summary), and its last
 * session, whose own count of conflicts is what that session left open (some may have been resolved since).
 */
export function formatDetails(details: ItemDetails, item: Pick<ItemSummary, 'name' | 'conflictCount'>, language: CliLanguage): string {
  const t = cliText(language);
  const lines = [`${details.handlerId}/${details.itemId}  ${item.name}`];
  for (const location of details.locations) lines.push(`  ${location.side ?? t('details.location')}  ${location.path}`);
  if (details.conflictPolicy !== null) lines.push(`  ${t('details.conflictPolicy')}  ${details.conflictPolicy}`);
  if (details.conflictPolicy !== null || details.exclude.length > 0) lines.push(`  ${t('details.excludes')}  ${details.exclude.length > 0 ? details.exclude.join(', ') : t('details.excludesNone')}`);
  lines.push(`  ${t('details.openConflicts')}  ${item.conflictCount}`);
  const session = details.lastSession;
  if (session === null) return [...lines, `  ${t('details.lastSession')}  ${t('details.noSession')}`].join('\n');
  const seconds = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }).format((session.finishedTime - session.startedTime) / 1000);
  lines.push(`  ${t('details.lastSession')}  ${t('details.session', { outcome: session.outcome, started: time(session.startedTime, t, language), seconds })}`);
  // The two direction labels are padded to one width so their counts line up.
  const [toLeft, toRight] = [t('details.toLeft'), t('details.toRight')];
  const width = Math.max(toLeft.length, toRight.length);
  const direction = (label: string, counts: DirectionStatistics | null) => {
    if (counts === null) return [];
    const [created, updated, moved, deleted, failed, conflicts] = (['created', 'updated', 'moved', 'deleted', 'failed', 'conflicts'] as const).map((key) => t(`details.${key}`, { count: counts[key] }));
    return [`    ${label.padEnd(width)}  ${t('details.direction', { created, updated, moved, deleted, failed, conflicts })}`];
  };
  lines.push(...direction(toLeft, session.toLeft), ...direction(toRight, session.toRight), `    ${t('details.conflictsLeft')}  ${session.conflicts}`);
  if (session.message !== null) lines.push(`    ${t('details.reason')}  ${session.message}`);
  return lines.join('\n');
}

/**
 * `conflicts`: each open conflict, what happened (its handler's description, which says what each choice does), then
 * its versions; a safety stop also what each side holds and its choices as the commands that make them.
 */
export function formatConflicts(conflicts: readonly Conflict[], language: CliLanguage): string {
  const t = cliText(language);
  if (conflicts.length === 0) return t('conflicts.none');
  return conflicts
    .map((conflict) => {
      const versions = conflict.versions.map((v) =>
        [t('conflicts.version', { side: v.side, label: v.label }), v.modifiedTime === null ? null : t('conflicts.modified', { time: time(v.modifiedTime, t, language) }), v.size === null ? null : t('conflicts.size', { size: v.size })]
          .filter((part) => part !== null)
          .join(' '),
      );
      const description = conflict.description === '' ? [] : [`  ${conflict.description}`];
      const guard = guardChoices(conflict, t);
      const sides = guard === null ? versions : versions.map((v, index) => `${v} — ${conflict.versions[index]?.preview?.text ?? ''}`);
      return [`${conflict.id}  ${conflict.kind}  ${conflict.handlerId}/${conflict.itemId}  ${conflict.name}`, ...description, ...sides.map((v) => `  ${v}`), ...(guard ?? []).map((line) => `  ${line}`)].join('\n');
    })
    .join('\n');
}

/**
 * A safety stop's choices as the commands that make them (the window's decision dialog says the same): a mass
 * delete's files brought back or deleted on the other side too, a folder not recognized started afresh, about the
 * side its version marks `stopped`. Null for any other conflict.
 */
function guardChoices(conflict: Conflict, t: ReturnType<typeof cliText>): string[] | null {
  if (conflict.kind !== 'massDelete' && conflict.kind !== 'rootMissing') return null;
  const guarded = conflict.versions.find((version) => version.stopped === true);
  const other = conflict.versions.find((version) => version !== guarded);
  if (guarded?.location === undefined || other?.location === undefined) return null;
  const roots = { id: conflict.id, guarded: guarded.location, other: other.location };
  if (conflict.kind === 'rootMissing') return [t('guard.afresh', { ...roots, side: other.side }), t('guard.reconnect', roots)];
  return [t('guard.restore', { ...roots, side: other.side }), t('guard.confirm', { ...roots, side: guarded.side })];
}

/** `events`: one line per Sync Result. */
export function formatEvents(events: readonly SyncResultEvent[], language: CliLanguage): string {
  const t = cliText(language);
  if (events.length === 0) return t('events.none');
  return events
    .map((event) => `${time(event.time, t, language)}  ${event.level}  ${event.handlerId}${event.itemId ? `/${event.itemId}` : ''}  ${t('events.text', { name: event.name, description: event.description })}`)
    .join('\n');
}

/** Shows a bar over the items' progress while `run` goes on, on a terminal only. */
export async function withProgress<T>(api: ControlApi, io: CliIo, language: CliLanguage, run: () => Promise<T>): Promise<T> {
  if (!io.isTty) return run();
  // cli-progress fills the {…} placeholders; only the word before them is ours.
  const bar = new SingleBar({ format: `${cliText(language)('progress')} [{bar}] {percentage}% {text}`, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  const fractions = new Map<string, number>();
  bar.start(100, 0, { text: '' });
  const unsubscribe = api.subscribe((event) => {
    if (event.type !== 'itemProgressed') return;
    const p = event.progress;
    const done = ['succeeded', 'failed', 'canceled', 'conflict'].includes(event.state);
    fractions.set(`${event.handlerId}/${event.itemId}`, done ? 1 : p && p.max > 0 ? p.current / p.max : 0);
    const values = [...fractions.values()];
    bar.update(Math.round((100 * values.reduce((a, b) => a + b, 0)) / Math.max(values.length, 1)), { text: p?.text ?? '' });
  });
  try {
    return await run();
  } finally {
    unsubscribe();
    bar.stop();
  }
}
