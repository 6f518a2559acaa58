/**
 * A scheduler on a real state database in a temp directory, with every port faked: a manual clock, a desktop whose
 * idle time, power and lock the test sets, a watch source the test feeds, and a host that records what it is
 * asked to start. Used by the scheduler's tests only.
 */
import { rmSync } from 'node:fs';
import type { SyncEvent } from '../../control/events.ts';
import { ControlError } from '../../control/result.ts';
import { tempDir } from '../../sessions/hostTestKit.ts';
import { openStateStore, type StateStore } from '../../store/state/stateStore.ts';
import type { WatchPlan } from '../itemWatch.ts';
import { createScheduleCalls, type ScheduleCalls } from '../scheduleCalls.ts';
import { Scheduler, type TriggeredRun } from '../scheduler.ts';
import type { SystemMonitor, SystemSignal } from '../systemMonitor.ts';
import type { WatchHandle, WatchOptions, WatchSource } from '../watchSource.ts';
import { zonedCalendar } from '../zonedTime.ts';
import { FakeClock } from '../../runtime/testing/fakeClock.ts';

/** A desktop the test controls. */
export class ManualSystem implements SystemMonitor {
  idle: number | null = 0;
  battery: boolean | null = false;
  readonly #listeners = new Set<(signal: SystemSignal) => void>();

  idleSeconds = (): number | null => this.idle;
  onBattery = (): boolean | null => this.battery;
  subscribe(listener: (signal: SystemSignal) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(signal: SystemSignal): void {
    if (signal === 'ac' || signal === 'battery') this.battery = signal === 'battery';
    for (const listener of [...this.#listeners]) listener(signal);
  }
}

/** One open fake watch. */
export interface FakeWatch {
  readonly folder: string;
  readonly recursive: boolean;
  closed: boolean;
  change(relativePath: string | null): void;
  fail(error: Error): void;
}

/** A watch source whose changes the test reports. */
export class FakeWatchSource implements WatchSource {
  readonly watches: FakeWatch[] = [];
  /** Folders that cannot be watched (not there). */
  readonly missing = new Set<string>();

  watch(folder: string, { recursive }: WatchOptions, onChange: (relativePath: string | null) => void, onError: (error: Error) => void): WatchHandle {
    if (this.missing.has(folder)) throw Object.assign(new Error(`ENOENT: no such file or directory, watch '${folder}'`), { code: 'ENOENT' });
    const watch: FakeWatch = { folder, recursive, closed: false, change: (relative) => !watch.closed && onChange(relative), fail: (error) => onError(error) };
    this.watches.push(watch);
    return { close: () => void (watch.closed = true) };
  }

  /** The open watch of a folder. */
  of(folder: string): FakeWatch {
    const watch = this.watches.find((candidate) => candidate.folder === folder && !candidate.closed);
    if (watch === undefined) throw new Error(`no open watch of ${folder}`);
    return watch;
  }
}

export interface SchedulerFixtureOptions {
  /** Handler id → item ids. */
  readonly handlers?: Record<string, string[]>;
  /** `handler/item` → what to watch. */
  readonly plans?: Record<string, WatchPlan>;
  readonly start?: number;
  readonly timeZone?: string;
  /** Reuse a state directory (restart). */
  readonly stateDir?: string;
}

export interface SchedulerFixture {
  readonly clock: FakeClock;
  readonly system: ManualSystem;
  readonly source: FakeWatchSource;
  readonly scheduler: Scheduler;
  readonly calls: ScheduleCalls;
  readonly store: StateStore;
  readonly stateDir: string;
  /** Every run the scheduler asked the host to start. */
  readonly starts: TriggeredRun[];
  readonly published: SyncEvent[];
  /** Publishes a core event (item states) to the scheduler. */
  emit(event: SyncEvent): void;
  /** Advances the clock and waits for triggered work. */
  advance(ms: number): Promise<void>;
  /** Stops the scheduler and closes the store; `keep` leaves the state directory for a restart. */
  close(keep?: boolean): void;
}

export function schedulerFixture(options: SchedulerFixtureOptions = {}): SchedulerFixture {
  const handlers = options.handlers ?? { scripted: ['alpha', 'beta'] };
  const stateDir = options.stateDir ?? tempDir('synccenter-schedules-');
  const clock = new FakeClock(options.start ?? Date.parse('2026-07-01T06:00:00Z'));
  const system = new ManualSystem();
  const source = new FakeWatchSource();
  const store = openStateStore(stateDir, { now: clock.now, newId: newIds(), eventRetention: 100 });
  const starts: TriggeredRun[] = [];
  const published: SyncEvent[] = [];
  const listeners = new Set<(event: SyncEvent) => void>();
  const plans = options.plans ?? {};
  const scheduler = new Scheduler({
    store: store.schedules,
    host: {
      itemIds: async (handlerId) => handlers[handlerId] ?? [],
      watchPlan: async (handlerId, itemId) => plans[`${handlerId}/${itemId}`] ?? null,
      start: async (run) => void starts.push(run),
    },
    now: clock.now,
    timers: clock,
    calendar: zonedCalendar(options.timeZone ?? 'Europe/Paris'),
    system,
    watchSource: source,
    publish: (event) => published.push(event),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    log: () => {},
  });
  const calls = createScheduleCalls({
    store: store.schedules,
    scheduler,
    now: clock.now,
    newId: newIds('schedule'),
    handlerItems: async (handlerId) => {
      const items = handlers[handlerId];
      if (items === undefined) throw new ControlError('NOT_FOUND', `No handler "${handlerId}".`);
      return items;
    },
    watchPlan: async (handlerId, itemId) => plans[`${handlerId}/${itemId}`] ?? null,
  });
  return {
    clock,
    system,
    source,
    scheduler,
    calls,
    store,
    stateDir,
    starts,
    published,
    emit: (event) => {
      for (const listener of [...listeners]) listener(event);
    },
    async advance(ms) {
      await clock.advance(ms);
      await scheduler.idle();
    },
    close(keep = false) {
      scheduler.stop();
      store.close();
      if (!keep) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

function newIds(prefix = 'id'): () => string {
  let next = 0;
  return () => `${prefix}-${++next}`;
}
