/**
 * A bounded pool of session workers. A fresh `worker_threads` Worker per session costs a new isolate (heap, code,
 * the handler's modules) whose native memory the allocator keeps after the thread exits, so a host that starts
 * sessions all day grew without end (`bench/soak.ts`). Here a worker whose session returned normally serves the
 * next session of the same handler registration, its modules already loaded; idle workers are bounded (per
 * handler and in all) and terminated after a timeout. A worker whose handler threw, crashed, was terminated (it
 * ignored Stop past the grace period, or the host closed) or served its quota of sessions is never reused.
 */
import { MessageChannel, Worker, type ResourceLimits } from 'node:worker_threads';
import type { ResolvedRegistration } from './handlerRegistry.ts';
import { hostLocale, hostText } from './hostText.ts';
import { IDLE_COLLECTION_MS } from './idleCollection.ts';
import { realTimers, type Timers } from './timers.ts';
import { createCancelBuffer, ItemSlots, readCancel, type SessionMessage, type SessionStart, type TaggedSessionMessage } from './sessionProtocol.ts';
import type { SessionDriver } from './workerSessionDriver.ts';

/** How many workers the pool keeps, and for how long. */
export interface SessionWorkerPoolOptions {
  /** Idle workers kept per handler registration (default 2; more only help handlers with concurrent sessions). */
  readonly idlePerHandler?: number;
  /** Idle workers kept in all (default 32); beyond it the longest idle is terminated. */
  readonly idleTotal?: number;
  /** How long a worker may stay idle before it is terminated (default 60 s). */
  readonly idleMs?: number;
  /**
   * Sessions one worker serves before it is retired (default 10,000), bounding what handler code leaves behind.
   * Each retirement costs a fresh isolate whose native memory the allocator keeps for a while: at 1,000, the soak's
   * 20 handlers each replaced their worker within 10 minutes and RSS ended 20 % up (medians, 966 → 1,158 MB).
   */
  readonly sessionsPerWorker?: number;
  /** How long a worker stays idle before it runs a full garbage collection (default `IDLE_COLLECTION_MS`; negative: never). */
  readonly idleCollectionMs?: number;
  readonly timers?: Timers;
}

/** Counters for tests and diagnostics. */
export interface SessionWorkerPoolStats {
  /** Workers started since the pool was made. */
  readonly spawned: number;
  /** Workers running a session now. */
  readonly busy: number;
  /** Workers waiting for a session now. */
  readonly idle: number;
}

/**
 * The V8 limits of every session worker. Only the young generation is bounded. V8 doubles a thread's semi-spaces
 * (up to 64 MB each) whenever what survives its scavenges outgrows them, and shrinks them only at a later garbage
 * collection (an idle pooled worker runs one only because `idleCollection.ts` makes it): unbounded, a folder sync reading the scan state of 100,000
 * files peaked at 290–340 MB RSS, and the soak's 20 idle workers kept up to 610 MB of heap between them. With a
 * 16 MB young generation the same no-op sync peaks at 219–222 MB (48 MB: 225–252 MB) and the 10,000-file initial
 * sync at 185–188 MB (48 MB: 201–206 MB), in the same time (`app/handlers/folders/README.md`, Benchmark). The old
 * generation keeps V8's default limit on purpose: a tighter one would kill a large sync instead of slowing it.
 */
export const SESSION_WORKER_RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };

/** Where the worker entry lives: `.ts` when running from source, `.js` when built. */
const workerUrl = new URL(`./sessionWorker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** The session a worker runs now. */
interface Running {
  readonly session: number;
  readonly deliver: (message: SessionMessage) => void;
}

/** One worker and what the pool knows of it. */
interface PooledWorker {
  readonly worker: Worker;
  /** The registration it serves (its handler's module is loaded in it). */
  readonly key: string;
  readonly dataDir: string;
  sessions: number;
  running: Running | null;
  idleTimer: unknown;
}

/** Reuses session workers per handler registration; see the module comment. */
export class SessionWorkerPool {
  readonly #idlePerHandler: number;
  readonly #idleTotal: number;
  readonly #idleMs: number;
  readonly #sessionsPerWorker: number;
  readonly #idleCollectionMs: number;
  readonly #timers: Timers;
  readonly #live = new Set<PooledWorker>();
  /** Idle workers, the longest idle first. */
  readonly #idle = new Set<PooledWorker>();
  readonly #keys = new WeakMap<ResolvedRegistration, string>();
  #sessions = 0;
  #spawned = 0;

  constructor(options: SessionWorkerPoolOptions = {}) {
    this.#idlePerHandler = options.idlePerHandler ?? 2;
    this.#idleTotal = options.idleTotal ?? 32;
    this.#idleMs = options.idleMs ?? 60_000;
    this.#sessionsPerWorker = options.sessionsPerWorker ?? 10_000;
    this.#idleCollectionMs = options.idleCollectionMs ?? IDLE_COLLECTION_MS;
    this.#timers = options.timers ?? realTimers;
  }

  /** Runs a session of `registration` for `itemIds` in an idle worker of that registration, else in a new one. */
  start(registration: ResolvedRegistration, itemIds: readonly string[], onMessage: (message: SessionMessage) => void): SessionDriver {
    const key = this.#keyOf(registration);
    const pooled = this.#takeIdle(key) ?? this.#spawn(key, registration.dataDir);
    const session = (this.#sessions += 1);
    const cancelBuffer = createCancelBuffer();
    const cancel = new Int32Array(cancelBuffer);
    const slots = new ItemSlots(itemIds);
    const channel = new MessageChannel();
    const { id: handlerId, specifier, exportName, options, dataDir } = registration;
    const language = hostLocale();
    const start: SessionStart = { session, handlerId, specifier, exportName, options, dataDir, itemIds: [...itemIds], cancelBuffer, queuedPort: channel.port2, idleCollectionMs: this.#idleCollectionMs, ...(language === undefined ? {} : { language }) };
    pooled.running = { session, deliver: onMessage };
    pooled.sessions += 1;
    pooled.worker.postMessage(start, [channel.port2]);
    return {
      slots,
      cancelItems(ids) {
        for (const id of ids) {
          const slot = slots.slot(id);
          if (slot !== undefined) Atomics.store(cancel, slot, 1);
        }
      },
      cancelAll: () => void Atomics.store(cancel, 0, 1),
      cancelRequest: (itemId) => readCancel(cancel, itemId === undefined ? undefined : slots.slot(itemId)),
      offerQueued: (ids) => channel.port1.postMessage([...ids]),
      terminate: async () => {
        channel.port1.close();
        // Only while this session runs: once it ended, the worker may already serve another session.
        if (pooled.running?.session !== session) return;
        pooled.running = null;
        await this.#retire(pooled);
      },
    };
  }

  stats(): SessionWorkerPoolStats {
    return { spawned: this.#spawned, busy: this.#live.size - this.#idle.size, idle: this.#idle.size };
  }

  /** The V8 heaps of the live workers, summed (diagnostics: `bench/soak.ts` tells their growth from the host's). */
  async heapStatistics(): Promise<{ readonly workers: number; readonly usedHeapSize: number; readonly totalHeapSize: number; readonly mallocedMemory: number }> {
    const heaps = await Promise.all([...this.#live].map((pooled) => pooled.worker.getHeapStatistics().catch(() => null)));
    const live = heaps.filter((heap) => heap !== null);
    const sum = (pick: (heap: (typeof live)[number]) => number) => live.reduce((total, heap) => total + pick(heap), 0);
    return { workers: live.length, usedHeapSize: sum((heap) => heap.used_heap_size), totalHeapSize: sum((heap) => heap.total_heap_size), mallocedMemory: sum((heap) => heap.malloced_memory) };
  }

  /** Terminates the idle workers whose handler data directory passes `where` (all by default). */
  async closeIdle(where: (dataDir: string) => boolean = () => true): Promise<void> {
    await Promise.all([...this.#idle].filter((pooled) => where(pooled.dataDir)).map((pooled) => this.#retire(pooled)));
  }

  #keyOf(registration: ResolvedRegistration): string {
    let key = this.#keys.get(registration);
    if (key === undefined) {
      const { id, specifier, exportName, options, dataDir } = registration;
      key = JSON.stringify([id, specifier, exportName, dataDir, options]);
      this.#keys.set(registration, key);
    }
    return key;
  }

  #spawn(key: string, dataDir: string): PooledWorker {
    const pooled: PooledWorker = { worker: new Worker(workerUrl, { resourceLimits: SESSION_WORKER_RESOURCE_LIMITS }), key, dataDir, sessions: 0, running: null, idleTimer: null };
    this.#spawned += 1;
    this.#live.add(pooled);
    pooled.worker.on('message', (tagged: TaggedSessionMessage) => this.#onMessage(pooled, tagged));
    pooled.worker.on('error', (error) => this.#onGone(pooled, hostText()('failure.workerCrashed', { reason: error.message })));
    pooled.worker.on('exit', (code) => this.#onGone(pooled, hostText()('failure.workerExited', { code })));
    return pooled;
  }

  #onMessage(pooled: PooledWorker, { session, message }: TaggedSessionMessage): void {
    const running = pooled.running;
    if (running === null || running.session !== session) return; // what an earlier session still posts
    if (message.type === 'done' || message.type === 'failed') {
      pooled.running = null;
      // Released before delivering: the handler's next session, started by this very message, gets this worker.
      if (message.type === 'done') this.#release(pooled);
      else void this.#retire(pooled);
    }
    running.deliver(message);
  }

  /** The worker died ('error', then 'exit') or was terminated: it fails the session it ran, if any. */
  #onGone(pooled: PooledWorker, reason: string): void {
    this.#forget(pooled);
    const running = pooled.running;
    pooled.running = null;
    running?.deliver({ type: 'failed', message: reason });
  }

  #release(pooled: PooledWorker): void {
    const idleOfKey = [...this.#idle].filter((other) => other.key === pooled.key).length;
    if (pooled.sessions >= this.#sessionsPerWorker || idleOfKey >= this.#idlePerHandler) {
      void this.#retire(pooled);
      return;
    }
    pooled.worker.unref(); // an idle worker never keeps the host alive
    pooled.idleTimer = this.#timers.setTimeout(() => void this.#retire(pooled), this.#idleMs);
    this.#idle.add(pooled);
    const [longestIdle] = this.#idle;
    if (this.#idle.size > this.#idleTotal && longestIdle !== undefined) void this.#retire(longestIdle);
  }

  /** The most recently idle worker of `key` (the warmest), taken out of the idle set. */
  #takeIdle(key: string): PooledWorker | undefined {
    const pooled = [...this.#idle].reverse().find((candidate) => candidate.key === key);
    if (pooled === undefined) return undefined;
    this.#idle.delete(pooled);
    this.#timers.clearTimeout(pooled.idleTimer);
    pooled.idleTimer = null;
    pooled.worker.ref();
    return pooled;
  }

  #forget(pooled: PooledWorker): void {
    this.#live.delete(pooled);
    this.#idle.delete(pooled);
    if (pooled.idleTimer !== null) this.#timers.clearTimeout(pooled.idleTimer);
    pooled.idleTimer = null;
  }

  async #retire(pooled: PooledWorker): Promise<void> {
    this.#forget(pooled);
    await pooled.worker.terminate();
  }
}
