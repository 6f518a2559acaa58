/**
 * Threads that copy and hash small files beside the thread running the sync. Copying 10,000 small files is mostly
 * the kernel's work (opens, creates, reads, writes), one file after another on one core; two threads do it in
 * 0.6× the time on a 2-core machine (`bench/folders.ts`, initial sync). Only the side-effect-free halves run here:
 * hashing for the plan, and copying into temporary files (`copySmallToTemp`); checking and installing each file
 * stays on the sync's own thread, in order, so nothing about what a batch may overwrite changes.
 *
 * Jobs go out in chunks of `JOBS_PER_MESSAGE`, two chunks queued per thread so none waits for the next; Stop is
 * checked between chunks (a chunk of small files takes a few milliseconds). A thread that dies (out of memory,
 * say) costs nothing but time: its chunk runs on the calling thread instead, and a new thread replaces it on the
 * next run. Idle threads end after `IDLE_MS` and never keep the process alive while idle.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashFileSync } from './contentHash.ts';
import { copySmallToTemp, type CopyRequest, type PreparedFile } from './copyToTemp.ts';
import { CanceledError, reviveFolderError, settleSync, type FolderAction, type FolderErrorData, type Settled } from './errors.ts';

/** One small file to hash (`hashFileSync` with its scanned size). */
export interface HashJob {
  readonly absolutePath: string;
  readonly displayPath: string;
  readonly size: number;
}

/** A job's result as it crosses the thread boundary. */
export type WorkOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FolderErrorData };


/** A message to a thread: one chunk of jobs. */
export type WorkRequest =
  | { readonly id: number; readonly kind: 'hash'; readonly jobs: readonly HashJob[] }
  | { readonly id: number; readonly kind: 'copy'; readonly generation: number; readonly keepModes?: boolean; readonly jobs: readonly CopyRequest[] };

/** A thread's answer: an outcome per job, in order. */
export type WorkResponse =
  | { readonly id: number; readonly kind: 'hash'; readonly outcomes: readonly WorkOutcome<string>[] }
  | { readonly id: number; readonly kind: 'copy'; readonly outcomes: readonly WorkOutcome<PreparedFile>[] };

/** How a batch of copies is made: the destination's mode support, Stop, and a callback per finished chunk. */
export interface PoolCopyOptions {
  readonly keepModes?: boolean;
  readonly signal?: AbortSignal;
  /** Called as each chunk finishes, with the first job's index and the chunk's results. */
  readonly onChunk?: (start: number, settled: readonly Settled<PreparedFile>[]) => void;
}

/**
 * Below this many small files a run stays on the calling thread: starting the threads (and loading their modules)
 * costs about 100 ms, more than they save on fewer files. Measured on the 2-CPU VM (initial syncs of 1–64 KiB
 * files, fresh process, medians of 5, pool against none): 500 files 341 against 222 ms, 2,000 files 599 against
 * 512 ms, 5,000 files 1,251 against 1,410 ms; the 10,000-file bench 2.07 against 2.69 s. (Right after tens of
 * thousands of files were deleted on the same file system, two threads creating files contend in ext4's inode
 * allocator: 4.7 against 2.3 s for 10,000 files; 40 s later, even again.)
 */
export const POOL_FROM = 4096;
const JOBS_PER_MESSAGE = 32;
const CHUNKS_QUEUED_PER_THREAD = 2;
const IDLE_MS = 5000;
const MAX_THREADS = 4;
// A thread holds a chunk's buffers and the modules it runs, nothing that grows with the tree.
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 96 };

const workerUrl = new URL(`./fileWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** One thread and the chunks it has been sent. */
class Thread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (response: WorkResponse) => void; reject: (error: Error) => void }>();
  #dead = false;

  constructor() {
    this.#worker = new Worker(workerUrl, { resourceLimits: THREAD_LIMITS });
    this.#worker.unref();
    this.#worker.on('message', (response: WorkResponse) => {
      this.#pending.get(response.id)?.resolve(response);
      this.#pending.delete(response.id);
    });
    const fail = (error: Error) => {
      this.#dead = true;
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`file worker exited with code ${code}`)));
  }

  get dead(): boolean {
    return this.#dead;
  }

  send(request: WorkRequest): Promise<WorkResponse> {
    if (this.#dead) return Promise.reject(new Error('file worker is gone'));
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject });
      try {
        this.#worker.postMessage(request);
      } catch (error) {
        this.#pending.delete(request.id);
        reject(error as Error);
      }
    });
  }

  /** While a run is in flight the thread keeps the process alive, so an awaited chunk is never abandoned. */
  hold(held: boolean): void {
    if (held) this.#worker.ref();
    else this.#worker.unref();
  }

  async end(): Promise<void> {
    this.#dead = true;
    await this.#worker.terminate();
  }
}

/** See the module comment. */
export class FileWorkPool {
  readonly size: number;
  /** The fewest small files a run hands to the threads (`shareOut`). */
  readonly from: number;
  #threads: Thread[] = [];
  #active = 0;
  #nextId = 0;
  #generation = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(size: number, from = POOL_FROM) {
    this.size = Math.max(1, size);
    this.from = from;
  }

  /** Hashes each small file; an unreadable one fails alone. */
  hash(jobs: readonly HashJob[], signal?: AbortSignal): Promise<Settled<string>[]> {
    return this.#run(jobs, signal, (id, chunk) => ({ id, kind: 'hash', jobs: chunk }), (job) => job.displayPath, (job) => hashFileSync(job.absolutePath, job.displayPath, job.size), 'reading');
  }

  /** Copies each small file (`isSmallCopy`) into a temporary file beside its destination; a failure fails that file alone. */
  copy(jobs: readonly CopyRequest[], options: PoolCopyOptions = {}): Promise<Settled<PreparedFile>[]> {
    const generation = (this.#generation += 1);
    const keepModes = options.keepModes === undefined ? {} : { keepModes: options.keepModes };
    const madeFolders = new Set<string>(); // for chunks that fall back to this thread
    return this.#run(
      jobs,
      options.signal,
      (id, chunk) => ({ id, kind: 'copy', generation, ...keepModes, jobs: chunk }),
      (job) => job.sourcePath,
      (job) => copySmallToTemp(job, { madeFolders, ...keepModes }),
      'copying',
      options.onChunk,
    );
  }

  /** Threads alive now (started by a run or by `warm`, not yet ended). */
  get running(): number {
    return this.#threads.filter((thread) => !thread.dead).length;
  }

  /**
   * Starts the threads ahead of a run that is coming (a scan that has found thousands of new files), so that their
   * start-up (a thread and its modules: about 100 ms) overlaps the rest of the scan instead of delaying the first
   * chunk. Threads left unused end after `IDLE_MS`, as after a run.
   */
  warm(): void {
    if (this.#active > 0) return;
    this.#threads = this.#threads.filter((thread) => !thread.dead);
    if (this.#threads.length >= this.size) return;
    while (this.#threads.length < this.size) this.#threads.push(new Thread());
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.#idleTimer.unref();
  }

  /** Ends every thread now (they also end by themselves when idle). */
  async close(): Promise<void> {
    clearTimeout(this.#idleTimer);
    const threads = this.#threads;
    this.#threads = [];
    await Promise.all(threads.map((thread) => thread.end()));
  }

  async #run<J, R>(
    jobs: readonly J[],
    signal: AbortSignal | undefined,
    message: (id: number, chunk: readonly J[]) => WorkRequest,
    displayPathOf: (job: J) => string,
    inline: (job: J) => R,
    action: FolderAction,
    onChunk?: (start: number, settled: readonly Settled<R>[]) => void,
  ): Promise<Settled<R>[]> {
    const settled: (Settled<R> | undefined)[] = new Array(jobs.length);
    const threads = this.#start();
    let next = 0;
    const lane = async (thread: Thread) => {
      while (next < jobs.length && signal?.aborted !== true) {
        const start = next;
        next = Math.min(jobs.length, start + JOBS_PER_MESSAGE);
        const chunk = jobs.slice(start, next);
        const response = await thread.send(message((this.#nextId += 1), chunk)).catch(() => undefined);
        const results = response === undefined ? chunk.map((job) => settleSync(() => inline(job), displayPathOf(job), action)) : response.outcomes.map((outcome) => revive(outcome as WorkOutcome<R>));
        results.forEach((result, offset) => (settled[start + offset] = result));
        onChunk?.(start, results);
      }
    };
    try {
      await Promise.all(threads.flatMap((thread) => Array.from({ length: CHUNKS_QUEUED_PER_THREAD }, () => lane(thread))));
    } finally {
      this.#stop();
    }
    // Stopped: what was never sent fails as canceled, like a copy that saw Stop before it began.
    return settled.map((result, index) => result ?? { ok: false, error: new CanceledError(displayPathOf(jobs[index] as J)) });
  }

  #start(): Thread[] {
    clearTimeout(this.#idleTimer);
    this.#threads = this.#threads.filter((thread) => !thread.dead);
    while (this.#threads.length < this.size) this.#threads.push(new Thread());
    this.#active += 1;
    for (const thread of this.#threads) thread.hold(true);
    return [...this.#threads];
  }

  #stop(): void {
    this.#active -= 1;
    if (this.#active > 0) return;
    for (const thread of this.#threads) thread.hold(false);
    this.#idleTimer = setTimeout(() => void this.close(), IDLE_MS);
    this.#idleTimer.unref();
  }
}

function revive<R>(outcome: WorkOutcome<R>): Settled<R> {
  return outcome.ok ? outcome : { ok: false, error: reviveFolderError(outcome.error) };
}

/** Which of `positions` go to `pool` (the small ones, when there are `pool.from` or more) and which stay here. */
export function shareOut(pool: FileWorkPool | undefined, positions: readonly number[], isSmall: (position: number) => boolean): { readonly pooled: readonly number[]; readonly here: readonly number[] } {
  if (pool === undefined || positions.length < pool.from) return { pooled: [], here: positions };
  const small = positions.filter(isSmall);
  if (small.length < pool.from) return { pooled: [], here: positions };
  return { pooled: small, here: positions.filter((position) => !isSmall(position)) };
}

let shared: FileWorkPool | null | undefined;

/**
 * The process's pool, or undefined where threads would not help: one CPU, or `SYNCCENTER_FILE_THREADS=0` (a
 * number there sets the thread count; the default is one per CPU, at most four). `SYNCCENTER_FILE_THREADS_FROM`
 * sets the fewest small files a run hands to the threads (default `POOL_FROM`; the kill-safety proof lowers it
 * so that its syncs of a few thousand files are killed while threads copy).
 */
export function sharedFileWorkPool(): FileWorkPool | undefined {
  if (shared === undefined) {
    const configured = Number.parseInt(process.env.SYNCCENTER_FILE_THREADS ?? '', 10);
    const size = Number.isFinite(configured) ? configured : Math.min(MAX_THREADS, os.availableParallelism());
    const from = Number.parseInt(process.env.SYNCCENTER_FILE_THREADS_FROM ?? '', 10);
    shared = size >= 2 || (Number.isFinite(configured) && size >= 1) ? new FileWorkPool(size, Number.isFinite(from) && from >= 1 ? from : POOL_FROM) : null;
  }
  return shared ?? undefined;
}
