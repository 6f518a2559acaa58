/**
 * The session manager: the queue (one running session per handler unless it allows concurrent sessions; queued
 * items merge; the ignore-if-already-syncing flag), stop with a grace period, live states, coalesced progress,
 * and the `{status, errors, conflicts}` result of every start request.
 */
import type { SyncEvent } from '../control/events.ts';
import type { Conflict, Progress, ProgressStatus, SyncResult, SyncResultEvent, SyncState } from '../control/schemas.ts';
import type { SessionMessage } from '../runtime/sessionProtocol.ts';
import type { ConflictReport, EventReport, ProposedItem } from '../runtime/syncHandler.ts';
import type { SessionDriver } from '../runtime/workerSessionDriver.ts';
import { ActiveSession, displayState, outcomeOf, type SessionItem } from './activeSession.ts';
import { realTimers, type Timers } from '../runtime/timers.ts';
import { createProgressCoalescer } from './progressCoalescer.ts';
import { hostText } from '../runtime/hostText.ts';
import { summarize, SyncRequest, type Run } from './syncRequest.ts';

/** How many new conflicts a warning names; the rest are counted. */
const NAMED_CONFLICTS = 5;

/** What the manager records through the stores. */
export interface SessionRecorder {
  addEvent(handlerId: string, report: EventReport): SyncResultEvent;
  /** Stores a reported conflict; `added` is false when it was already open (a sync meeting it again). */
  addConflict(handlerId: string, report: ConflictReport): { readonly conflict: Conflict; readonly added: boolean };
  commitItem(handlerId: string, item: ProposedItem): void;
  recordItemResult(handlerId: string, itemId: string, state: SyncState, errors: number): void;
  /** Removes the item's open conflicts other than `keep`; returns the removed ids. */
  pruneConflicts(handlerId: string, itemId: string, keep: readonly string[]): string[];
}

/** The manager's ports. */
export interface SessionManagerDeps {
  readonly publish: (event: SyncEvent) => void;
  readonly recorder: SessionRecorder;
  readonly launch: (handlerId: string, itemIds: readonly string[], onMessage: (message: SessionMessage) => void) => SessionDriver;
  readonly externalDriver: (itemIds: readonly string[]) => SessionDriver;
  readonly isConcurrent: (handlerId: string) => boolean;
  /** The handler re-reports every conflict that still holds on each sync (see HandlerCapabilities). */
  readonly reportsAllConflicts?: (handlerId: string) => boolean;
  readonly newId: () => string;
  readonly now: () => number;
  readonly timers?: Timers;
  /** How long a handler may ignore Stop before its worker is terminated. */
  readonly stopGraceMs?: number;
}

/** Which items of which handler a request names. */
export interface SyncTarget {
  readonly handlerId: string;
  readonly itemIds: readonly string[];
}

/** A live state for listings. */
export interface LiveState {
  readonly state: SyncState;
  readonly progress: Progress | null;
}

type ProgressEvent = Extract<SyncEvent, { type: 'itemProgressed' | 'handlerProgressed' }>;

export class SessionManager {
  readonly #deps: SessionManagerDeps;
  readonly #timers: Timers;
  readonly #queued = new Map<string, Map<string, Run>>();
  readonly #sessions = new Map<string, ActiveSession>();
  readonly #live = new Map<string, LiveState>();
  readonly #progress;

  constructor(deps: SessionManagerDeps) {
    this.#deps = deps;
    this.#timers = deps.timers ?? realTimers;
    this.#progress = createProgressCoalescer<ProgressEvent>(deps.publish, deps.now, this.#timers);
  }

  /** Queues the targets; resolves when every named item has an outcome. */
  start(targets: readonly SyncTarget[], ignoreIfAlreadySyncing: boolean): Promise<SyncResult> {
    const request = new SyncRequest(this.#deps.newId());
    for (const target of targets) {
      for (const itemId of new Set(target.itemIds)) request.expect(this.#runFor(target.handlerId, itemId, ignoreIfAlreadySyncing));
    }
    const immediate = request.settleIfComplete();
    if (immediate !== null) this.#deps.publish({ type: 'requestFinished', requestId: request.id, result: immediate });
    for (const handlerId of new Set(targets.map((target) => target.handlerId))) this.#pump(handlerId);
    return request.done;
  }

  /** The run a new request for this item joins: the queued one (merge), the running one (ignore flag), or a new one. */
  #runFor(handlerId: string, itemId: string, ignoreIfAlreadySyncing: boolean): Run {
    const queue = this.#queueOf(handlerId);
    const queued = queue.get(itemId);
    if (queued !== undefined) return queued;
    const running = this.#runningSession(handlerId, itemId);
    if (running !== undefined && ignoreIfAlreadySyncing) return running.items.get(itemId)!.run;
    const run: Run = { handlerId, itemId, waiters: [] };
    queue.set(itemId, run);
    this.#setItemState(handlerId, itemId, { state: 'queued', progress: null }, true);
    return run;
  }

  /** Starts a session for queued items when the handler is free; otherwise offers them to its running sessions. */
  #pump(handlerId: string): void {
    const queue = this.#queueOf(handlerId);
    const running = this.#sessionsOf(handlerId);
    if (running.length > 0 && !this.#deps.isConcurrent(handlerId)) {
      for (const session of running) session.driver.offerQueued([...queue.keys()]);
      this.#publishHandler(handlerId);
      return;
    }
    const runs = [...queue.values()].filter((run) => this.#runningSession(handlerId, run.itemId) === undefined);
    if (runs.length > 0) this.#launch(handlerId, runs);
    this.#publishHandler(handlerId);
  }

  #launch(handlerId: string, runs: Run[]): void {
    const queue = this.#queueOf(handlerId);
    for (const run of runs) queue.delete(run.itemId);
    const itemIds = runs.map((run) => run.itemId);
    const id = this.#deps.newId();
    const started: { session?: ActiveSession } = {};
    const buffered: SessionMessage[] = [];
    // Messages can only arrive after this turn, but buffer anyway so the session always exists when handled.
    const driver = this.#deps.launch(handlerId, itemIds, (message) => (started.session ? this.#handle(started.session, message) : buffered.push(message)));
    const session = new ActiveSession(id, handlerId, driver, runs, false);
    started.session = session;
    this.#begin(session);
    for (const message of buffered) this.#handle(session, message);
  }

  #begin(session: ActiveSession): void {
    this.#sessions.set(session.id, session);
    const itemIds = [...session.items.keys()];
    this.#deps.publish({ type: 'sessionStarted', sessionId: session.id, handlerId: session.handlerId, itemIds });
    for (const itemId of itemIds) this.#itemStarted(session, itemId);
  }

  #itemStarted(session: ActiveSession, itemId: string): void {
    this.#deps.publish({ type: 'itemStarted', sessionId: session.id, handlerId: session.handlerId, itemId });
    this.#setItemState(session.handlerId, itemId, { state: 'updatingIndeterminate', progress: null }, true);
  }

  /** Opens a session reported by another process; it holds the handler's slot like any session. */
  openExternal(handlerId: string, itemIds: readonly string[]): string {
    const runs = itemIds.map((itemId) => this.#queueOf(handlerId).get(itemId) ?? { handlerId, itemId, waiters: [] });
    for (const run of runs) this.#queueOf(handlerId).delete(run.itemId);
    const session = new ActiveSession(this.#deps.newId(), handlerId, this.#deps.externalDriver(itemIds), runs, true);
    this.#begin(session);
    this.#publishHandler(handlerId);
    return session.id;
  }

  /** The handler of an open external session, or undefined. */
  externalHandlerOf(sessionId: string): string | undefined {
    const session = this.#sessions.get(sessionId);
    return session?.external === true ? session.handlerId : undefined;
  }

  /** Feeds one message of an external session; returns the session's handler id, or undefined if unknown. */
  reportExternal(sessionId: string, message: SessionMessage): ActiveSession | undefined {
    const session = this.#sessions.get(sessionId);
    if (session === undefined || !session.external) return undefined;
    this.#handle(session, message);
    return session;
  }

  #handle(session: ActiveSession, message: SessionMessage): void {
    if (session.ended) return;
    switch (message.type) {
      case 'progress':
        return this.#onProgress(session, message);
      case 'handlerText':
        session.handlerText = message.text;
        return this.#publishHandler(session.handlerId);
      case 'event':
        return this.#onEvent(session, message.event);
      case 'addItems':
        return this.#onAddItems(session, message.itemIds);
      case 'propose':
        session.proposed.set(message.item.id, message.item);
        return;
      case 'commit':
        return this.#onCommit(session, message.itemId);
      case 'conflict':
        return this.#onConflict(session, message.conflict);
      case 'manual':
        session.manual = true;
        return;
      case 'done':
        return this.#end(session, null);
      case 'failed':
        return this.#end(session, message.message);
    }
  }

  #onProgress(session: ActiveSession, message: Extract<SessionMessage, { type: 'progress' }>): void {
    const t = hostText();
    const item = session.items.get(message.itemId);
    if (item === undefined) {
      this.#hostEvent(session, null, 'warning', t('event.unknownItemName'), t('event.unknownProgress', { itemId: message.itemId }));
      return;
    }
    const progress = { current: Math.min(message.current, Math.max(message.max, message.current)), max: message.max, text: message.text };
    const verdict = session.applyProgress(item, message.status, progress);
    if (verdict.kind === 'violation') {
      item.errors += 1;
      this.#hostEvent(session, message.itemId, 'error', t('event.invalidProgressName'), t('event.invalidProgress', { status: message.status, itemId: message.itemId, previous: verdict.previous }));
    }
    const urgent = verdict.kind === 'violation' || verdict.becameFinal || this.#live.get(liveKey(session.handlerId, message.itemId))?.state !== item.status;
    this.#setItemState(session.handlerId, message.itemId, { state: displayState(item), progress: item.progress }, urgent);
    if (urgent && (verdict.kind === 'violation' || verdict.becameFinal)) this.#publishItemFinished(session, message.itemId, item);
    this.#publishHandler(session.handlerId);
  }

  #onEvent(session: ActiveSession, report: EventReport): void {
    const itemId = report.itemId ?? null;
    const item = itemId === null ? undefined : session.items.get(itemId);
    if (item !== undefined && report.level === 'error') item.errors += 1;
    const event = this.#recorded(session, () => this.#deps.recorder.addEvent(session.handlerId, { ...report, itemId }), () => this.#unsavedEvent(session.handlerId, { ...report, itemId }));
    this.#deps.publish({ type: 'eventReported', event });
  }

  /**
   * Runs one write of the session's records. A store that cannot take it (its disk full, say) costs that record,
   * never the session: `fallback` stands in, and Sync results say once per session, unsaved, what went wrong.
   */
  #recorded<T>(session: ActiveSession, write: () => T, fallback: () => T): T {
    const t = hostText();
    try {
      return write();
    } catch (error) {
      if (!session.recordsFailed) {
        session.recordsFailed = true;
        const description = t('event.notSaved', { reason: error instanceof Error ? error.message : String(error) });
        this.#deps.publish({ type: 'eventReported', event: this.#unsavedEvent(session.handlerId, { itemId: null, level: 'error', name: t('event.notSavedName'), description }) });
      }
      return fallback();
    }
  }

  /** An event shown but not stored (the store refused it). */
  #unsavedEvent(handlerId: string, report: EventReport & { readonly itemId: string | null }): SyncResultEvent {
    return { id: this.#deps.newId(), handlerId, itemId: report.itemId, level: report.level, name: report.name, description: report.description, link: report.link ?? null, context: report.context ?? null, time: this.#deps.now() };
  }

  #onAddItems(session: ActiveSession, itemIds: readonly string[]): void {
    session.driver.slots.add(itemIds);
    const queue = this.#queueOf(session.handlerId);
    for (const itemId of itemIds) {
      if (session.items.has(itemId)) continue;
      const run = queue.get(itemId) ?? { handlerId: session.handlerId, itemId, waiters: [] };
      queue.delete(itemId);
      session.addRun(run);
      this.#itemStarted(session, itemId);
    }
  }

  #onCommit(session: ActiveSession, itemId: string): void {
    const t = hostText();
    const item = session.proposed.get(itemId);
    if (item === undefined) {
      this.#hostEvent(session, null, 'warning', t('event.unknownItemName'), t('event.unproposed', { itemId }));
      return;
    }
    session.proposed.delete(itemId);
    this.#recorded(session, () => this.#deps.recorder.commitItem(session.handlerId, item), () => undefined);
    this.#deps.publish({ type: 'handlersChanged' });
  }

  #onConflict(session: ActiveSession, report: ConflictReport): void {
    const item = session.items.get(report.itemId);
    // A conflict the store cannot keep still counts; it is not listed (it could not be resolved), and the next sync finds it again.
    const stored = this.#recorded(session, () => this.#deps.recorder.addConflict(session.handlerId, report), () => undefined);
    if (item !== undefined) item.conflicts += 1;
    if (stored === undefined) return;
    item?.conflictIds.push(stored.conflict.id);
    if (stored.added) item?.newConflicts.push(stored.conflict.name);
    this.#deps.publish({ type: 'conflictDetected', conflict: stored.conflict });
  }

  /** Ends a session: `failure` is why it ended early (a throw, a crash, a hang), null for a normal return. */
  #end(session: ActiveSession, failure: string | null): void {
    const t = hostText();
    if (session.ended) return;
    session.ended = true;
    if (session.graceTimer !== null) this.#timers.clearTimeout(session.graceTimer);
    this.#sessions.delete(session.id);
    const settled = session.settleUnfinished((item) => endStatus(session, item, failure));
    if (failure !== null) this.#hostEvent(session, null, 'error', t('event.failedName'), failure);
    else if (settled.some((item) => item.status === 'failed')) {
      const ids = settled.filter((item) => item.status === 'failed').map((item) => item.run.itemId);
      this.#hostEvent(session, null, 'error', t('event.noResultName'), t('event.noResult', { items: ids.join(', ') }));
    }
    for (const item of settled) this.#publishItemFinished(session, item.run.itemId, item);
    const results = [...session.items.values()].map((item) => this.#finishItem(session, item));
    this.#deps.publish({ type: 'sessionFinished', sessionId: session.id, handlerId: session.handlerId, result: summarize(results), manual: session.manual });
    this.#pump(session.handlerId);
  }

  #finishItem(session: ActiveSession, item: SessionItem): SyncResult['items'][number] {
    if (item.status === 'failed' && item.errors === 0) item.errors = 1;
    this.#reportNewConflicts(session, item);
    const outcome = outcomeOf(item);
    // Pruning drops stored conflicts this session did not report again: not when some report could not be stored.
    if (item.status === 'succeeded' && !session.recordsFailed && this.#deps.reportsAllConflicts?.(session.handlerId) === true) {
      const settled = this.#recorded(session, () => this.#deps.recorder.pruneConflicts(session.handlerId, item.run.itemId, item.conflictIds), () => []);
      if (settled.length > 0) this.#deps.publish({ type: 'conflictsResolved', ids: settled });
    }
    this.#recorded(session, () => this.#deps.recorder.recordItemResult(session.handlerId, item.run.itemId, outcome.state, outcome.errors), () => undefined);
    this.#setItemState(session.handlerId, item.run.itemId, { state: outcome.state, progress: item.progress }, true);
    for (const request of item.run.waiters) this.#record(request, item.run, outcome);
    return { handlerId: session.handlerId, itemId: item.run.itemId, ...outcome };
  }

  /**
   * One warning in Sync results per item whose sync found conflicts that were not open before it, naming them, so
   * the results say why the item needs the user. A conflict met again by a later sync (still unresolved) adds none,
   * so automatic syncs do not repeat it. A failed item's error says it all: a conflict that comes with a failure is
   * the decision that failure asks for (a mass delete to confirm, a missing folder to start afresh).
   */
  #reportNewConflicts(session: ActiveSession, item: SessionItem): void {
    const names = item.newConflicts;
    if (names.length === 0 || item.status === 'failed') return;
    const t = hostText();
    const shown = names.slice(0, NAMED_CONFLICTS).map((name) => t('event.conflictName', { name }));
    const more = names.length - shown.length;
    const list = more > 0 ? t('event.conflictNamesMore', { names: shown.join(', '), count: more }) : shown.join(', ');
    this.#hostEvent(session, item.run.itemId, 'warning', t('event.newConflictsName'), t('event.newConflicts', { count: names.length, names: list }));
  }

  #record(request: SyncRequest, run: Run, outcome: ReturnType<typeof outcomeOf>): void {
    const result = request.record(run, outcome);
    if (result !== null) this.#deps.publish({ type: 'requestFinished', requestId: request.id, result });
  }

  #publishItemFinished(session: ActiveSession, itemId: string, item: SessionItem): void {
    this.#deps.publish({ type: 'itemFinished', sessionId: session.id, handlerId: session.handlerId, itemId, state: displayState(item) });
  }

  /** Stops items: queued ones end canceled now, running ones are asked to stop (all of them → cancel all). */
  stopItems(handlerId: string, itemIds: readonly string[]): void {
    const queue = this.#queueOf(handlerId);
    for (const itemId of itemIds) {
      const run = queue.get(itemId);
      if (run === undefined) continue;
      queue.delete(itemId);
      this.#cancelQueued(run);
    }
    for (const session of this.#sessionsOf(handlerId)) {
      const items = itemIds.map((id) => session.items.get(id)).filter((item) => item !== undefined && session.isRunning(item.run.itemId));
      for (const item of items) if (item) item.cancelRequested = true;
      session.driver.cancelItems(itemIds);
      if (session.unfinished().every((item) => item.cancelRequested)) this.#cancelSession(session);
    }
    this.#publishHandler(handlerId);
  }

  /** Stops every running and queued item of a handler. */
  stopHandler(handlerId: string): void {
    const queue = this.#queueOf(handlerId);
    const runs = [...queue.values()];
    queue.clear();
    for (const run of runs) this.#cancelQueued(run);
    for (const session of this.#sessionsOf(handlerId)) this.#cancelSession(session);
    this.#publishHandler(handlerId);
  }

  stopAll(): void {
    const handlerIds = new Set([...this.#queued.keys(), ...[...this.#sessions.values()].map((session) => session.handlerId)]);
    for (const handlerId of handlerIds) this.stopHandler(handlerId);
  }

  #cancelQueued(run: Run): void {
    const outcome = { state: 'canceled' as const, errors: 0, conflicts: 0 };
    this.#setItemState(run.handlerId, run.itemId, { state: 'canceled', progress: null }, true);
    for (const request of run.waiters) this.#record(request, run, outcome);
  }

  /** Cancel all, then terminate the worker if the handler has not returned within the grace period. */
  #cancelSession(session: ActiveSession): void {
    for (const item of session.unfinished()) item.cancelRequested = true;
    session.driver.cancelAll();
    if (session.stopping || session.external) return;
    session.stopping = true;
    session.graceTimer = this.#timers.setTimeout(() => {
      session.graceTimer = null;
      void session.driver.terminate();
      this.#end(session, null);
    }, this.#deps.stopGraceMs ?? 10_000);
  }

  /** The cancel request an external session's item would read now. */
  cancelRequestOf(sessionId: string, itemId?: string): ReturnType<SessionDriver['cancelRequest']> {
    return this.#sessions.get(sessionId)?.driver.cancelRequest(itemId) ?? 'cancelAll';
  }

  /**
   * An item synced outside a session (a conflict resolution the handler applied by syncing it) ends as a sync
   * would: `conflict` while some stay open, else `succeeded`, with no errors and the time now. Not while a session
   * runs it or it waits in the queue: that sync will say how it ended.
   */
  settleSyncedOutside(handlerId: string, itemId: string, openConflicts: number): void {
    const running = this.#sessionsOf(handlerId).some((session) => session.items.has(itemId));
    if (running || this.#queueOf(handlerId).has(itemId)) return;
    const state = openConflicts > 0 ? 'conflict' : 'succeeded';
    try {
      this.#deps.recorder.recordItemResult(handlerId, itemId, state, 0);
    } catch {
      // A store that cannot take it (its disk full): the window still shows the state until Sync Center closes.
    }
    this.#setItemState(handlerId, itemId, { state, progress: null }, true);
    this.#publishHandler(handlerId);
  }

  /** Whether a handler has a running session or queued items. */
  isBusy(handlerId: string): boolean {
    return this.#sessionsOf(handlerId).length > 0 || this.#queueOf(handlerId).size > 0;
  }

  /** The live state of an item, if it has one this run of the host. */
  itemState(handlerId: string, itemId: string): LiveState | undefined {
    return this.#live.get(liveKey(handlerId, itemId));
  }

  /** The live state of a handler while it is busy; undefined when idle. */
  handlerState(handlerId: string): LiveState | undefined {
    const sessions = this.#sessionsOf(handlerId);
    if (sessions.length === 0) return this.#queueOf(handlerId).size > 0 ? { state: 'queued', progress: null } : undefined;
    const items = sessions.flatMap((session) => [...session.items.values()]);
    const max = items.reduce((sum, item) => sum + Math.max(item.progress?.max ?? 0, 1), 0);
    const current = items.reduce((sum, item) => sum + handlerShare(item), 0);
    const text = sessions.map((session) => session.handlerText).find((t) => t.length > 0) ?? '';
    return { state: 'updating', progress: { current: Math.min(current, max), max, text } };
  }

  /** Terminates every session (host shutdown); their items end canceled. */
  async close(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    for (const session of sessions) session.driver.cancelAll();
    await Promise.all(sessions.map((session) => session.driver.terminate()));
    for (const session of sessions) this.#end(session, null);
    this.#progress.flushAll();
  }

  #setItemState(handlerId: string, itemId: string, live: LiveState, urgent: boolean): void {
    this.#live.set(liveKey(handlerId, itemId), live);
    this.#progress.push(liveKey(handlerId, itemId), { type: 'itemProgressed', handlerId, itemId, ...live }, urgent);
  }

  #publishHandler(handlerId: string): void {
    const live = this.handlerState(handlerId);
    const event: ProgressEvent = { type: 'handlerProgressed', handlerId, state: live?.state ?? 'idle', progress: live?.progress ?? null };
    this.#progress.push(`handler\u0000${handlerId}`, event, live === undefined || live.state !== 'updating');
  }

  #hostEvent(session: ActiveSession, itemId: string | null, level: EventReport['level'], name: string, description: string): void {
    this.#onEvent(session, { itemId, level, name, description });
  }

  #queueOf(handlerId: string): Map<string, Run> {
    let queue = this.#queued.get(handlerId);
    if (queue === undefined) this.#queued.set(handlerId, (queue = new Map()));
    return queue;
  }

  #sessionsOf(handlerId: string): ActiveSession[] {
    return [...this.#sessions.values()].filter((session) => session.handlerId === handlerId);
  }

  #runningSession(handlerId: string, itemId: string): ActiveSession | undefined {
    return this.#sessionsOf(handlerId).find((session) => session.isRunning(itemId));
  }
}

function liveKey(handlerId: string, itemId: string): string {
  return `${handlerId}\u0000${itemId}`;
}

/** How an unfinished item ends with its session: canceled if Stop was asked, else failed. */
function endStatus(session: ActiveSession, item: SessionItem, failure: string | null): ProgressStatus {
  if (item.cancelRequested || (session.stopping && failure === null)) return 'canceled';
  if (failure === null && item.status === 'disconnected') return 'disconnected';
  return 'failed';
}

function handlerShare(item: SessionItem): number {
  const max = Math.max(item.progress?.max ?? 0, 1);
  if (item.status === 'succeeded' || item.status === 'failed' || item.status === 'canceled') return max;
  return Math.min(item.progress?.current ?? 0, max);
}

