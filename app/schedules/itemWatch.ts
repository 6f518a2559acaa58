/**
 * Watching one item's files for a "when files change" schedule: changes are debounced (a sync starts `delay` after
 * the last change, at most once every `minInterval`, and at the latest `maxWait` after the first change of a
 * steady stream), and a sync's own writes never start another sync:
 *
 * - paths inside a replica's `.synccenter/` folder (sync metadata, scan state, trash, locks), or an XML replica's
 *   `<file>.synccenter/` (such a file may lie in a synced folder), are ignored at once (a file named `x.synccenter`
 *   is not);
 * - nothing starts while the item is queued or syncing: changes seen meanwhile wait for it to end;
 * - a folder pair (`mirror`) then keeps only the changed paths where its two sides still differ
 *   (`mirrorCheck.ts`): the sync's own writes left them equal, a user's edit did not;
 * - other watched paths (`paths`: an XML pair's two files, a third-party item's `watchPaths`) remember how each
 *   path changed during the sync looked when it ended, and ignore later notifications while it still looks so.
 */
import { lstatSync, statSync } from 'node:fs';
import path from 'node:path';
import { METADATA_DIR, metadataFolderIn } from '../handlers/folders/tempNames.ts';
import type { Timers } from '../runtime/timers.ts';
import { differingPaths } from './mirrorCheck.ts';
import type { WatchHandle, WatchSource } from './watchSource.ts';

/** What to watch for an item and how to tell its sync's writes from real changes. */
export type WatchPlan =
  | { readonly kind: 'mirror'; readonly left: string; readonly right: string; readonly exclude: readonly string[] }
  | { readonly kind: 'paths'; readonly paths: readonly string[] };

/** Debounce settings, in milliseconds. */
export interface WatchTiming {
  readonly delayMs: number;
  readonly minIntervalMs: number;
}

/** What a due watch reports: how many paths changed and a few of them; `unknown` when it lost track. */
export interface ChangeSummary {
  readonly count: number;
  readonly sample: readonly string[];
  readonly unknown: boolean;
}

export interface ItemWatchDeps {
  readonly plan: WatchPlan;
  readonly timing: WatchTiming;
  readonly source: WatchSource;
  readonly now: () => number;
  readonly timers: Timers;
  /** A sync is needed for these changes. */
  readonly onDue: (changes: ChangeSummary) => void;
  readonly log: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Tracks async work so callers can wait for quiet (tests). */
  readonly track: (work: Promise<unknown>) => void;
}

/** The replica metadata folder of the built-in pair handlers, not watched at all; never a user change. */
const skippedFolders: ReadonlySet<string> = new Set([METADATA_DIR]);
/** A steady stream of changes still syncs at least this often (or at the minimum interval if longer). */
const maxWaitFloorMs = 60_000;
/** How long a sync's remembered echoes are honored. */
const echoTtlMs = 30_000;
/** More distinct pending paths than this: stop listing them and sync without checking. */
const pathLimit = 10_000;

type Fingerprint = string;

export class ItemWatch {
  readonly #deps: ItemWatchDeps;
  readonly #handles: WatchHandle[] = [];
  readonly #pending = new Set<string>();
  #unknown = false;
  #firstChangeAt: number | null = null;
  #lastChangeAt = 0;
  #lastRunAt = Number.NEGATIVE_INFINITY;
  #timer: unknown = null;
  #busy = false;
  #closed = false;
  /** paths mode: paths changed while busy, then how they looked when the sync ended. */
  readonly #duringSync = new Set<string>();
  readonly #echoes = new Map<string, Fingerprint>();
  #echoesUntil = 0;
  /** Notifications ignored as the sync's own (for diagnostics and tests). */
  ignored = 0;
  /** Set when a watch could not be opened or stopped; the scheduler re-opens broken watches. */
  broken = false;

  constructor(deps: ItemWatchDeps) {
    this.#deps = deps;
  }

  /** Opens the watches. With `catchUp`, changes made while nobody watched count as one unknown change. */
  open(catchUp: boolean): void {
    try {
      for (const root of watchRoots(this.#deps.plan)) {
        const handle = this.#deps.source.watch(
          root.folder,
          { recursive: root.recursive, skip: skippedFolders },
          (relative) => this.#onChange(root, relative),
          (error) => this.#onError(error),
        );
        this.#handles.push(handle);
      }
    } catch (error) {
      // Not there (yet): an unplugged drive, say. The scheduler tries again every minute, so say it quietly.
      this.#onError(error instanceof Error ? error : new Error(String(error)), 'debug');
      return;
    }
    if (catchUp) this.#record(null);
  }

  /** The item entered (true) or left (false) the queue or a session. */
  setBusy(busy: boolean): void {
    if (this.#busy === busy || this.#closed) return;
    this.#busy = busy;
    if (busy) {
      this.#cancelTimer();
      return;
    }
    if (this.#deps.plan.kind === 'paths') this.#rememberEchoes();
    if (this.#pending.size > 0 || this.#unknown) this.#arm();
  }

  /** When a pending change will be looked at, or null if none is pending. */
  nextDueTime(): number | null {
    if (this.#pending.size === 0 && !this.#unknown) return null;
    return this.#dueTime();
  }

  close(): void {
    this.#closed = true;
    this.#cancelTimer();
    for (const handle of this.#handles.splice(0)) handle.close();
  }

  #onError(error: Error, level: 'debug' | 'warn' = 'warn'): void {
    if (this.broken) return;
    this.broken = true;
    this.#deps.log(level, `watching ${describePlan(this.#deps.plan)} stopped: ${error.message}`);
    for (const handle of this.#handles.splice(0)) handle.close();
  }

  #onChange(root: WatchRoot, relative: string | null): void {
    if (this.#closed) return;
    if (relative === null) return this.#record(null);
    const segments = relative.split(/[\\/]/);
    // Inside a metadata folder (`metadataFolderIn`, as the folder sync skips them), or a pair's own appearing.
    if (segments.at(-1) === METADATA_DIR || metadataFolderIn(segments) !== undefined) {
      this.ignored += 1;
      return;
    }
    if (root.names !== undefined && !root.names.has(relative)) return;
    const key = this.#deps.plan.kind === 'mirror' ? relative : path.join(root.folder, relative);
    if (this.#deps.plan.kind === 'paths' && this.#isEcho(key)) {
      this.ignored += 1;
      return;
    }
    this.#record(key);
  }

  #record(key: string | null): void {
    if (key === null || this.#pending.size >= pathLimit) this.#unknown = true;
    else this.#pending.add(key);
    const now = this.#deps.now();
    this.#firstChangeAt ??= now;
    this.#lastChangeAt = now;
    if (!this.#busy) this.#arm();
  }

  #isEcho(key: string): boolean {
    if (this.#busy) {
      this.#duringSync.add(key);
      return true;
    }
    const remembered = this.#echoes.get(key);
    if (remembered === undefined || this.#deps.now() > this.#echoesUntil) return false;
    return fingerprint(key) === remembered;
  }

  #rememberEchoes(): void {
    if (this.#deps.now() > this.#echoesUntil) this.#echoes.clear();
    for (const key of this.#duringSync) this.#echoes.set(key, fingerprint(key));
    this.#duringSync.clear();
    this.#echoesUntil = this.#deps.now() + echoTtlMs;
  }

  #dueTime(): number {
    const { delayMs, minIntervalMs } = this.#deps.timing;
    const latest = (this.#firstChangeAt ?? this.#lastChangeAt) + Math.max(maxWaitFloorMs, minIntervalMs);
    return Math.max(Math.min(this.#lastChangeAt + delayMs, latest), this.#lastRunAt + minIntervalMs);
  }

  /** Sets the timer if none is set; a timer that fires early (the debounce moved) sets itself again. */
  #arm(): void {
    if (this.#timer !== null || this.#closed) return;
    const wait = Math.max(0, this.#dueTime() - this.#deps.now());
    this.#timer = this.#deps.timers.setTimeout(() => this.#onTimer(), wait);
  }

  #cancelTimer(): void {
    if (this.#timer === null) return;
    this.#deps.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #onTimer(): void {
    this.#timer = null;
    if (this.#busy || this.#closed || (this.#pending.size === 0 && !this.#unknown)) return;
    if (this.#deps.now() < this.#dueTime()) return this.#arm();
    const paths = [...this.#pending];
    const unknown = this.#unknown;
    this.#pending.clear();
    this.#unknown = false;
    this.#firstChangeAt = null;
    this.#deps.track(this.#decide(paths, unknown));
  }

  async #decide(paths: string[], unknown: boolean): Promise<void> {
    const plan = this.#deps.plan;
    const real = unknown || plan.kind === 'paths' ? paths : await differingPaths(plan.left, plan.right, paths, plan.exclude).catch(() => paths);
    if (this.#closed) return;
    if (!unknown && real.length === 0) {
      this.ignored += paths.length;
      this.#deps.log('debug', `${paths.length} change(s) in ${describePlan(plan)} left both sides equal; no sync needed`);
      return;
    }
    this.#lastRunAt = this.#deps.now();
    this.#deps.onDue({ count: real.length, sample: real.slice(0, 5), unknown });
  }
}

interface WatchRoot {
  readonly folder: string;
  readonly recursive: boolean;
  /** For a watched file: only this entry of its folder counts. */
  readonly names?: ReadonlySet<string>;
}

/** The folders to watch: both sides of a pair recursively; each watched path's folder, or the file's folder. */
function watchRoots(plan: WatchPlan): WatchRoot[] {
  if (plan.kind === 'mirror') return [plan.left, plan.right].map((folder) => ({ folder, recursive: true }));
  return plan.paths.map((watched) => {
    if (isDirectory(watched)) return { folder: watched, recursive: true };
    return { folder: path.dirname(watched), recursive: false, names: new Set([path.basename(watched)]) };
  });
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

function fingerprint(file: string): Fingerprint {
  try {
    const stat = lstatSync(file, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.mode}`;
  } catch {
    return 'absent';
  }
}

function describePlan(plan: WatchPlan): string {
  return plan.kind === 'mirror' ? `${plan.left} ↔ ${plan.right}` : plan.paths.join(', ');
}
