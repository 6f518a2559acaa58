/**
 * The scheduler: it decides when a schedule starts a sync and hands the sync to the host, which queues it like
 * a click. Time, timers, the desktop's signals (idle, lock, power) and file changes all come through ports, so it
 * runs the same under Electron, the CLI's `serve` and tests with a fake clock.
 *
 * - Timed triggers (every N minutes, a time of day on chosen weekdays) are due at `dueTime` (nextRun.ts); one
 *   that fell due while the host was closed runs once when it starts. The scheduler wakes at the next due time,
 *   and at least every minute so that a suspended machine or a changed clock is noticed.
 * - Event triggers: app start (once, when `start` runs), lock and unlock (signals), idle (polled; fires once
 *   per idle period, again only after the user came back), file changes (`ItemWatch`).
 * - Conditions never drop a trigger, they postpone it: a run blocked by "only on AC power" waits for AC power, one
 *   blocked by "not more often than every N minutes" waits until N minutes after the last run; several triggers
 *   while waiting make one run.
 */
import type { SyncEvent } from '../control/events.ts';
import type { ScheduleTrigger } from '../control/schemas.ts';
import type { Timers } from '../runtime/timers.ts';
import type { ScheduleStore, StoredSchedule } from '../store/state/scheduleStore.ts';
import { ItemWatch, type ChangeSummary, type WatchPlan } from './itemWatch.ts';
import { dueTime, isTimed } from './nextRun.ts';
import type { SystemMonitor, SystemSignal } from './systemMonitor.ts';
import type { WatchSource } from './watchSource.ts';
import type { ZonedCalendar } from './zonedTime.ts';

/** Why a schedule started a sync (carried into Sync Results). */
export type RunReason =
  | { readonly kind: 'due' }
  | { readonly kind: 'missed' }
  | { readonly kind: 'event' }
  | { readonly kind: 'changes'; readonly changes: ChangeSummary };

/** One sync a schedule asks for. `itemIds` null: every enabled item of the handler. */
export interface TriggeredRun {
  readonly schedule: StoredSchedule;
  readonly itemIds: readonly string[] | null;
  readonly reason: RunReason;
}

/** What the scheduler needs from the host. */
export interface SchedulerHost {
  /** The ids of a handler's items (for handler-wide file watching); [] for an unknown handler. */
  itemIds(handlerId: string): Promise<readonly string[]>;
  /** What to watch for an item, or null if it has no files to watch. */
  watchPlan(handlerId: string, itemId: string): Promise<WatchPlan | null>;
  /** Marks the trigger in Sync Results and queues the sync like a click; resolves when it is queued or refused. */
  start(run: TriggeredRun): Promise<void>;
}

export interface SchedulerDeps {
  readonly store: ScheduleStore;
  readonly host: SchedulerHost;
  readonly now: () => number;
  readonly timers: Timers;
  readonly calendar: ZonedCalendar;
  readonly system: SystemMonitor;
  readonly watchSource: WatchSource;
  /** The core's event bus: schedulesChanged out; item states in (a watched item's sync in progress). */
  readonly publish: (event: SyncEvent) => void;
  readonly subscribe: (listener: (event: SyncEvent) => void) => () => void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** How often idle time is read while an idle schedule exists (default 30 s). */
  readonly idlePollMs?: number;
  /** The longest the scheduler sleeps (default 60 s). */
  readonly maxSleepMs?: number;
}

type Waiting = { itemIds: Set<string> | null; reason: RunReason };
type Blocked = { kind: 'battery' } | { kind: 'interval'; until: number } | null;

const activeStates = new Set(['queued', 'updating', 'updatingIndeterminate']);

export class Scheduler {
  readonly #deps: SchedulerDeps;
  #schedules: StoredSchedule[];
  #startedAt: number | null = null;
  #timer: unknown = null;
  #unsubscribe: (() => void)[] = [];
  /** Event-triggered runs postponed by a condition. */
  readonly #waiting = new Map<string, Waiting>();
  /** Idle schedules that may fire at the next idle period. */
  readonly #idleArmed = new Map<string, boolean>();
  /** Open watches by `scheduleId\0itemId`; `signature` changes when the trigger or what to watch does. */
  readonly #watches = new Map<string, { watch: ItemWatch; handlerId: string; itemId: string; scheduleId: string; signature: string }>();
  /** Due times per schedule value (values are replaced on every change, so identity is the cache key). */
  readonly #dueCache = new WeakMap<StoredSchedule, number | null>();
  readonly #inFlight = new Set<Promise<unknown>>();
  #refreshing: Promise<void> | null = null;
  #refreshAgain = false;

  constructor(deps: SchedulerDeps) {
    this.#deps = deps;
    this.#schedules = deps.store.list();
  }

  /** Whether `start` ran (a one-shot CLI command never starts it; it only edits schedules). */
  get running(): boolean {
    return this.#startedAt !== null;
  }

  /** Every schedule, in creation order. */
  list(): readonly StoredSchedule[] {
    return this.#schedules;
  }

  /** Starts running schedules: app-start triggers fire now, missed ones run once, watches open. */
  start(): void {
    if (this.#startedAt !== null) return;
    this.#startedAt = this.#deps.now();
    this.#unsubscribe = [this.#deps.system.subscribe((signal) => this.#onSignal(signal)), this.#deps.subscribe((event) => this.#onCoreEvent(event))];
    for (const schedule of this.#enabled('appStart')) this.#request(schedule, schedule.itemIds, { kind: 'event' });
    this.#refreshWatches(true);
    this.#evaluate();
  }

  /** Stops timers and watches (host shutdown). */
  stop(): void {
    this.#startedAt = null;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#clearTimer();
    for (const entry of this.#watches.values()) entry.watch.close();
    this.#watches.clear();
  }

  /** Resolves once no triggered start, watch check or watch refresh is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Re-reads schedules after the store changed (save, remove, enable) and re-plans. */
  reload(): void {
    this.#schedules = this.#deps.store.list();
    const ids = new Set(this.#schedules.map((schedule) => schedule.id));
    for (const id of [...this.#waiting.keys()]) if (!ids.has(id)) this.#waiting.delete(id);
    if (this.#startedAt !== null) {
      this.#refreshWatches(false);
      this.#evaluate();
    }
    this.#deps.publish({ type: 'schedulesChanged' });
  }

  /** The next run of a schedule: its due time (timed), a pending change's, a waiting run's release, or null. */
  nextRunTime(schedule: StoredSchedule, itemId?: string): number | null {
    if (!schedule.enabled) return null;
    const due = this.#dueOf(schedule);
    const release = this.#intervalRelease(schedule);
    if (due !== null) return Math.max(due, release ?? due);
    if (schedule.trigger.kind === 'fileChange') {
      const watches = itemId === undefined ? [...this.#watches.values()].filter((entry) => entry.scheduleId === schedule.id) : [this.#watches.get(watchKey(schedule.id, itemId))];
      const pending = watches.map((entry) => entry?.watch.nextDueTime() ?? null).filter((time) => time !== null);
      if (pending.length > 0) return Math.max(Math.min(...pending), release ?? 0);
    }
    return this.#waiting.has(schedule.id) ? (release ?? null) : null;
  }

  /** The earliest next run among enabled schedules covering an item (or, with null, a handler or any of its items). */
  nextScheduledTime(handlerId: string, itemId: string | null): number | null {
    let earliest: number | null = null;
    for (const schedule of this.#schedules) {
      if (schedule.handlerId !== handlerId || (itemId !== null && schedule.itemIds !== null && !schedule.itemIds.includes(itemId))) continue;
      const time = this.nextRunTime(schedule, itemId ?? undefined);
      if (time !== null && (earliest === null || time < earliest)) earliest = time;
    }
    return earliest;
  }

  #dueOf(schedule: StoredSchedule): number | null {
    if (this.#dueCache.has(schedule)) return this.#dueCache.get(schedule) ?? null;
    const due = dueTime(schedule, this.#deps.calendar);
    this.#dueCache.set(schedule, due);
    return due;
  }

  #enabled(kind: ScheduleTrigger['kind']): StoredSchedule[] {
    return this.#schedules.filter((schedule) => schedule.enabled && schedule.trigger.kind === kind);
  }

  #onSignal(signal: SystemSignal): void {
    if (signal === 'lock' || signal === 'unlock') {
      for (const schedule of this.#enabled(signal)) this.#request(schedule, schedule.itemIds, { kind: 'event' });
    }
    // Power changes release runs waiting for AC power.
    this.#evaluate();
  }

  #onCoreEvent(event: SyncEvent): void {
    if (event.type === 'handlersChanged') return this.#refreshWatches(false);
    let busy: boolean;
    if (event.type === 'itemStarted') busy = true;
    else if (event.type === 'itemFinished') busy = false;
    else if (event.type === 'itemProgressed') busy = activeStates.has(event.state);
    else return;
    for (const entry of this.#watches.values()) {
      if (entry.handlerId === event.handlerId && entry.itemId === event.itemId) entry.watch.setBusy(busy);
    }
  }

  /** Runs what is due, then sleeps until the next due time (at most `maxSleepMs`). */
  #evaluate(): void {
    if (this.#startedAt === null) return;
    this.#clearTimer();
    const now = this.#deps.now();
    for (const schedule of this.#schedules.filter((candidate) => candidate.enabled && isTimed(candidate.trigger))) {
      const due = this.#dueOf(schedule);
      if (due !== null && due <= now) this.#request(schedule, schedule.itemIds, { kind: due < (this.#startedAt ?? now) ? 'missed' : 'due' }, false);
    }
    for (const [id, waiting] of [...this.#waiting]) {
      const schedule = this.#schedules.find((candidate) => candidate.id === id);
      if (schedule !== undefined && this.#blockedBy(schedule) === null) this.#request(schedule, waiting.itemIds === null ? null : [...waiting.itemIds], waiting.reason);
    }
    this.#pollIdle();
    if ([...this.#watches.values()].some((entry) => entry.watch.broken)) this.#refreshWatches(false);
    this.#sleepUntil(this.#nextWake(now));
  }

  #nextWake(now: number): number {
    const wakes = [now + (this.#deps.maxSleepMs ?? 60_000)];
    for (const schedule of this.#schedules.filter((candidate) => candidate.enabled)) {
      const blocked = this.#blockedBy(schedule);
      if (blocked?.kind === 'battery') continue;
      const due = this.#dueOf(schedule);
      if (due !== null) wakes.push(Math.max(due, blocked?.kind === 'interval' ? blocked.until : due));
      else if (this.#waiting.has(schedule.id) && blocked?.kind === 'interval') wakes.push(blocked.until);
    }
    if (this.#enabled('idle').length > 0 && this.#deps.system.idleSeconds() !== null) wakes.push(now + (this.#deps.idlePollMs ?? 30_000));
    return Math.max(now, Math.min(...wakes));
  }

  #sleepUntil(time: number): void {
    this.#timer = this.#deps.timers.setTimeout(() => {
      this.#timer = null;
      this.#evaluate();
    }, time - this.#deps.now());
  }

  #clearTimer(): void {
    if (this.#timer === null) return;
    this.#deps.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Idle schedules fire once when idle time reaches their threshold and re-arm when the user is back. */
  #pollIdle(): void {
    const schedules = this.#enabled('idle');
    if (schedules.length === 0) return;
    const seconds = this.#deps.system.idleSeconds();
    if (seconds === null) return;
    for (const schedule of schedules) {
      if (schedule.trigger.kind !== 'idle') continue;
      const reached = seconds >= schedule.trigger.minutes * 60;
      if (!reached) this.#idleArmed.set(schedule.id, true);
      else if (this.#idleArmed.get(schedule.id) !== false) {
        this.#idleArmed.set(schedule.id, false);
        this.#request(schedule, schedule.itemIds, { kind: 'event' });
      }
    }
  }

  #blockedBy(schedule: StoredSchedule): Blocked {
    if (schedule.conditions.acPowerOnly && this.#deps.system.onBattery() === true) return { kind: 'battery' };
    const until = this.#intervalRelease(schedule);
    return until !== null && this.#deps.now() < until ? { kind: 'interval', until } : null;
  }

  #intervalRelease(schedule: StoredSchedule): number | null {
    const minutes = schedule.conditions.minIntervalMinutes;
    return minutes === null || schedule.lastRunTime === null ? null : schedule.lastRunTime + minutes * 60_000;
  }

  /**
   * Starts a run now unless a condition blocks it; a blocked event-triggered run waits (merged with any already
   * waiting), a blocked timed one simply stays due. `remember` false: the caller re-derives it (timed triggers).
   */
  #request(schedule: StoredSchedule, itemIds: readonly string[] | null, reason: RunReason, remember = true): void {
    if (this.#blockedBy(schedule) !== null) {
      if (remember) this.#wait(schedule.id, itemIds, reason);
      return;
    }
    this.#waiting.delete(schedule.id);
    const time = this.#deps.now();
    this.#deps.store.recordRun(schedule.id, time);
    const ran = { ...schedule, lastRunTime: time };
    this.#schedules = this.#schedules.map((candidate) => (candidate.id === schedule.id ? ran : candidate));
    this.#track(this.#deps.host.start({ schedule: ran, itemIds, reason }));
    this.#deps.publish({ type: 'schedulesChanged' });
  }

  #wait(id: string, itemIds: readonly string[] | null, reason: RunReason): void {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) {
      this.#waiting.set(id, { itemIds: itemIds === null ? null : new Set(itemIds), reason });
      return;
    }
    if (waiting.itemIds !== null && itemIds !== null) for (const itemId of itemIds) waiting.itemIds.add(itemId);
    else waiting.itemIds = null;
  }

  #track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.#deps.log('error', `scheduled sync failed to start: ${error instanceof Error ? error.message : String(error)}`));
    this.#inFlight.add(tracked);
    void tracked.finally(() => this.#inFlight.delete(tracked));
  }

  /** Opens, keeps or closes item watches to match the enabled "when files change" schedules (serialized). */
  #refreshWatches(catchUp: boolean): void {
    if (this.#startedAt === null) return;
    if (this.#refreshing !== null) {
      this.#refreshAgain = true;
      return;
    }
    this.#refreshing = this.#syncWatches(catchUp).finally(() => {
      this.#refreshing = null;
      if (this.#refreshAgain && this.#startedAt !== null) {
        this.#refreshAgain = false;
        this.#refreshWatches(false);
      }
    });
    this.#track(this.#refreshing);
  }

  async #syncWatches(catchUp: boolean): Promise<void> {
    const wanted = new Map<string, { schedule: StoredSchedule; itemId: string; plan: WatchPlan; signature: string }>();
    for (const schedule of this.#enabled('fileChange')) {
      const itemIds = schedule.itemIds ?? (await this.#deps.host.itemIds(schedule.handlerId));
      for (const itemId of itemIds) {
        const plan = await this.#deps.host.watchPlan(schedule.handlerId, itemId);
        const signature = JSON.stringify([schedule.handlerId, schedule.trigger, plan]);
        if (plan !== null) wanted.set(watchKey(schedule.id, itemId), { schedule, itemId, plan, signature });
      }
    }
    if (this.#startedAt === null) return;
    const reopened = new Set<string>();
    for (const [key, entry] of [...this.#watches]) {
      if (wanted.get(key)?.signature === entry.signature && !entry.watch.broken) continue;
      if (entry.watch.broken) reopened.add(key);
      entry.watch.close();
      this.#watches.delete(key);
    }
    // A watch that stopped missed whatever changed meanwhile: once it is back, one sync catches up.
    for (const [key, { schedule, itemId, plan, signature }] of wanted) {
      if (!this.#watches.has(key)) this.#openWatch(key, signature, schedule, itemId, plan, catchUp || reopened.has(key));
    }
  }

  #openWatch(key: string, signature: string, schedule: StoredSchedule, itemId: string, plan: WatchPlan, catchUp: boolean): void {
    if (schedule.trigger.kind !== 'fileChange') return;
    const { delaySeconds, minIntervalSeconds } = schedule.trigger;
    const watch = new ItemWatch({
      plan,
      timing: { delayMs: delaySeconds * 1000, minIntervalMs: minIntervalSeconds * 1000 },
      source: this.#deps.watchSource,
      now: this.#deps.now,
      timers: this.#deps.timers,
      log: this.#deps.log,
      track: (work) => this.#track(work),
      onDue: (changes) => {
        const current = this.#schedules.find((candidate) => candidate.id === schedule.id);
        if (current?.enabled === true) this.#request(current, [itemId], { kind: 'changes', changes });
      },
    });
    this.#watches.set(key, { watch, handlerId: schedule.handlerId, itemId, scheduleId: schedule.id, signature });
    watch.open(catchUp);
  }
}

function watchKey(scheduleId: string, itemId: string): string {
  return `${scheduleId}\u0000${itemId}`;
}
