/**
 * What the CLI prints: human text or `--json` (schemas in `cliJson` of the contract), and a progress bar that
 * appears only on a terminal.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { ControlApi } from '../control/contract.ts';
import type { Conflict, DirectionStatistics, HandlerSummary, ItemDetails, SyncResult, SyncResultEvent } from '../control/schemas.ts';

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

const time = (ms: number | null): string => (ms === null ? 'never' : new Date(ms).toISOString());

export function formatHandlers(handlers: readonly HandlerSummary[]): string {
  if (handlers.length === 0) return 'No handlers.';
  return handlers
    .flatMap((handler) => [
      `${handler.id}  ${handler.name}  [${handler.state}]${handler.enabled ? '' : ' (disabled)'}${handler.active ? '' : ' (inactive)'}  last sync ${time(handler.lastSyncTime)}  errors ${handler.errorCount}  conflicts ${handler.conflictCount}`,
      ...handler.items.map(
        (item) =>
          `  ${item.id}  ${item.name}  [${item.state}]${item.enabled ? '' : ' (disabled)'}  last sync ${time(item.lastSyncTime)}  errors ${item.errorCount}  conflicts ${item.conflictCount}`,
      ),
    ])
    .join('\n');
}

/** Per-item outcomes, each followed by the events it reported during the sync (oldest first). */
export function formatResult(result: SyncResult, events: readonly SyncResultEvent[] = []): string {
  const lines = result.items.flatMap((item) => [
    `${item.handlerId}/${item.itemId}  ${item.state}  errors ${item.errors}  conflicts ${item.conflicts}`,
    ...events.filter((event) => event.handlerId === item.handlerId && event.itemId === item.itemId).map((event) => `    ${event.level}: ${event.name}: ${event.description}`),
  ]);
  return [...lines, `${result.status}: ${result.items.length} item(s), ${result.errors} error(s), ${result.conflicts} conflict(s)`].join('\n');
}

/** `show`: an item's locations, options and last session. */
export function formatDetails(details: ItemDetails, name: string): string {
  const lines = [`${details.handlerId}/${details.itemId}  ${name}`];
  for (const location of details.locations) lines.push(`  ${location.side ?? 'location'}  ${location.path}`);
  if (details.conflictPolicy !== null) lines.push(`  conflict policy  ${details.conflictPolicy}`);
  if (details.conflictPolicy !== null || details.exclude.length > 0) lines.push(`  excludes  ${details.exclude.length > 0 ? details.exclude.join(', ') : 'none'}`);
  const session = details.lastSession;
  if (session === null) return [...lines, '  last session  none recorded'].join('\n');
  const seconds = ((session.finishedTime - session.startedTime) / 1000).toFixed(1);
  lines.push(`  last session  ${session.outcome}, started ${time(session.startedTime)}, took ${seconds} s`);
  const direction = (label: string, counts: DirectionStatistics | null) =>
    counts === null ? [] : [`    ${label}  ${counts.created} created, ${counts.updated} updated, ${counts.deleted} deleted, ${counts.failed} not written, ${counts.conflicts} conflicts`];
  lines.push(...direction('to left ', session.toLeft), ...direction('to right', session.toRight), `    conflicts left open  ${session.conflicts}`);
  if (session.message !== null) lines.push(`    reason  ${session.message}`);
  return lines.join('\n');
}

export function formatConflicts(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 0) return 'No open conflicts.';
  return conflicts
    .map((conflict) => {
      const versions = conflict.versions.map((v) => `${v.side}: ${v.label}${v.modifiedTime === null ? '' : ` modified ${time(v.modifiedTime)}`}${v.size === null ? '' : ` ${v.size} bytes`}`);
      return [`${conflict.id}  ${conflict.kind}  ${conflict.handlerId}/${conflict.itemId}  ${conflict.name}`, ...versions.map((v) => `  ${v}`)].join('\n');
    })
    .join('\n');
}

export function formatEvents(events: readonly SyncResultEvent[]): string {
  if (events.length === 0) return 'No events.';
  return events.map((event) => `${time(event.time)}  ${event.level}  ${event.handlerId}${event.itemId ? `/${event.itemId}` : ''}  ${event.name}: ${event.description}`).join('\n');
}

/** Shows a bar over the items' progress while `run` goes on, on a terminal only. */
export async function withProgress<T>(api: ControlApi, io: CliIo, run: () => Promise<T>): Promise<T> {
  if (!io.isTty) return run();
  const bar = new SingleBar({ format: 'syncing [{bar}] {percentage}% {text}', hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
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
