/**
 * The session loop both pair handlers share: for each requested item, report progress, run the item's sync,
 * turn its conflicts and notices into reports, and end the item succeeded (with an event saying what each side
 * received, when anything changed), canceled or failed with an event that says why. A failure of one item never stops
 * the others; a "cancel all" stops the loop.
 */
import type { DirectionStatistics, LastSession } from '../control/schemas.ts';
import type { SyncStatistics } from '../engine/provider.ts';
import type { CancelRequest, ConflictReport, EventReport, SyncSession } from '../runtime/syncHandler.ts';
import { handlerText, isTextData, translateText } from './handlerText.ts';
import type { PairItem, PairItemStore } from './pairItemStore.ts';

/** Progress of one item: a text and, when known, how far along it is (`max` 0 = indeterminate). */
export type ReportItemProgress = (text: string, current: number, max: number) => CancelRequest;

/** What one item's sync produced. */
export interface PairOutcome {
  readonly status: 'succeeded' | 'canceled';
  readonly conflicts: readonly Omit<ConflictReport, 'itemId'>[];
  readonly events: readonly Omit<EventReport, 'itemId'>[];
  /** What each direction applied (null: it did not run), for the item's last-session statistics. */
  readonly statistics?: { readonly toLeft: SyncStatistics | null; readonly toRight: SyncStatistics | null };
}

/**
 * A failure that needs the user's decision (a missing drive, a mass delete): the item fails, and these conflicts
 * are reported so the user can settle it from Sync conflicts.
 */
export class DecisionNeeded extends Error {
  readonly conflicts: readonly Omit<ConflictReport, 'itemId'>[];
  constructor(cause: Error, conflicts: readonly Omit<ConflictReport, 'itemId'>[]) {
    super(cause.message, { cause });
    this.name = 'DecisionNeeded';
    this.conflicts = conflicts;
  }
}

/** Runs one item: `signal` aborts when the user stops it; `report` updates its progress. */
export type SyncPairItem = (item: PairItem, report: ReportItemProgress, signal: AbortSignal) => Promise<PairOutcome>;

/** Runs the requested items one after another; `now` times each item's last session. */
export async function runPairSession(itemIds: readonly string[], session: SyncSession, items: PairItemStore, syncItem: SyncPairItem, now: () => number = Date.now): Promise<void> {
  const t = handlerText();
  for (const itemId of itemIds) {
    const startedTime = now();
    const recordLast = (outcome: LastSession['outcome'], fields: Partial<LastSession> = {}): void => {
      recordLastSession(session, items, itemId, { startedTime, finishedTime: now(), outcome, toLeft: null, toRight: null, conflicts: 0, message: null, ...fields }, t);
    };
    if ((await runOne(itemId, session, items, syncItem, t, recordLast)) === 'cancelAll') return;
  }
}

type RecordLast = (outcome: LastSession['outcome'], fields?: Partial<LastSession>) => void;

async function runOne(itemId: string, session: SyncSession, items: PairItemStore, syncItem: SyncPairItem, t: ReturnType<typeof handlerText>, recordLast: RecordLast): Promise<CancelRequest> {
  const item = items.list().find((candidate) => candidate.id === itemId);
  if (item === undefined) {
    session.reportEvent({ itemId, level: 'error', name: t('event.missingItemName'), description: t('event.missingItem', { id: itemId }) });
    session.reportProgress(itemId, t('event.missingItemName'), 'failed', 0, 0);
    return 'none';
  }
  const controller = new AbortController();
  let lastCancel: CancelRequest = 'none';
  const report: ReportItemProgress = (text, current, max) => {
    const cancel = session.reportProgress(itemId, text, max > 0 ? 'updating' : 'updatingIndeterminate', Math.min(current, max), max);
    if (cancel !== 'none') {
      lastCancel = cancel;
      controller.abort();
    }
    return cancel;
  };
  report(t('progress.starting'), 0, 0);
  try {
    const outcome = await syncItem(item, report, controller.signal);
    for (const conflict of outcome.conflicts) session.reportConflict({ ...conflict, itemId });
    for (const event of outcome.events) session.reportEvent({ ...event, itemId });
    const counts = { toLeft: direction(outcome.statistics?.toLeft), toRight: direction(outcome.statistics?.toRight), conflicts: outcome.conflicts.length };
    if (outcome.status === 'canceled' || !session.canContinue(itemId)) {
      recordLast('canceled', counts);
      session.reportProgress(itemId, t('progress.canceled'), 'canceled', 0, 0);
      return lastCancel;
    }
    recordLast('succeeded', counts);
    reportReceived(session, item, counts, t);
    const saved = outcome.conflicts.length;
    session.reportProgress(itemId, saved > 0 ? t('progress.doneConflicts', { count: saved }) : t('progress.done'), 'succeeded', 1, 1);
    return 'none';
  } catch (error) {
    if (controller.signal.aborted) {
      recordLast('canceled');
      session.reportProgress(itemId, t('progress.canceled'), 'canceled', 0, 0);
      return lastCancel;
    }
    if (error instanceof DecisionNeeded) for (const conflict of error.conflicts) session.reportConflict({ ...conflict, itemId });
    const reason = describe(error instanceof DecisionNeeded ? error.cause : error);
    recordLast('failed', { conflicts: error instanceof DecisionNeeded ? error.conflicts.length : 0, message: reason.slice(0, 4096) });
    session.reportEvent({ itemId, level: 'error', name: t('event.failedName'), description: reason });
    session.reportProgress(itemId, t('progress.failed', { reason }), 'failed', 0, 0);
    return 'none';
  }
}

/**
 * An information event in Sync results saying what each side received, when the sync changed anything (a sync that
 * found nothing to do adds none, so automatic syncs do not fill the list).
 */
function reportReceived(session: SyncSession, item: PairItem, counts: { toLeft: DirectionStatistics | null; toRight: DirectionStatistics | null }, t: ReturnType<typeof handlerText>): void {
  const received = ([[item.right, counts.toRight], [item.left, counts.toLeft]] as const).flatMap(([place, count]) =>
    count !== null && count.created + count.updated + count.moved + count.deleted > 0
      ? [t('event.received', { place, counts: [t('event.receivedNew', { count: count.created }), t('event.receivedChanged', { count: count.updated }), t('event.receivedMoved', { count: count.moved }), t('event.receivedDeleted', { count: count.deleted })].join(', ') })]
      : [],
  );
  if (received.length > 0) session.reportEvent({ itemId: item.id, level: 'information', name: t('event.syncedName'), description: received.join(' ') });
}

/**
 * Keeps, as an item's last session, the sync a conflict resolution ran to apply the choice (outside any session),
 * so Properties says what it did, as the list shows the item synced. `statistics` per direction as in
 * `PairOutcome`; `conflicts` those it left open. Not being able to write it costs only that record.
 */
export function recordResolutionSync(items: PairItemStore, itemId: string, run: { readonly startedTime: number; readonly finishedTime: number; readonly statistics: NonNullable<PairOutcome['statistics']>; readonly conflicts: number }): void {
  try {
    items.update(itemId, { lastSession: { startedTime: run.startedTime, finishedTime: run.finishedTime, outcome: 'succeeded', toLeft: direction(run.statistics.toLeft), toRight: direction(run.statistics.toRight), conflicts: run.conflicts, message: null } });
  } catch {
    // The resolution stands; Properties keeps the session before it.
  }
}

/** The counts Properties shows for one direction. */
function direction(statistics: SyncStatistics | null | undefined): DirectionStatistics | null {
  if (statistics == null) return null;
  const { created, updated, moved, deleted, conflicts, failed } = statistics;
  return { created, updated, moved, deleted, conflicts, failed };
}

/** Keeps the item's last session in its item list; a failure to write it is a warning, never a failed sync. */
function recordLastSession(session: SyncSession, items: PairItemStore, itemId: string, lastSession: LastSession, t: ReturnType<typeof handlerText>): void {
  try {
    items.update(itemId, { lastSession });
  } catch (error) {
    session.reportEvent({ itemId, level: 'warning', name: t('event.lastSessionNotSavedName'), description: t('event.lastSessionNotSaved', { reason: describe(error) }) });
  }
}

/**
 * The message of an error in the host's language, with its code when it has one, so Sync results say exactly what
 * went wrong. An error that carries its text as data (`text`, see `TextData`) is translated; any other keeps its
 * message.
 */
export function describe(error: unknown, t: ReturnType<typeof handlerText> = handlerText()): string {
  if (!(error instanceof Error)) return String(error);
  const text = (error as { text?: unknown }).text;
  const message = isTextData(text) ? translateText(text, error.message, t) : error.message;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
