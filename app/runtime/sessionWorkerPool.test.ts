import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../sessions/hostTestKit.ts';
import { scriptedHandlerRegistration, type ScriptedItem } from './fixtures/scriptedHandler.ts';
import { resolveRegistration, type ResolvedRegistration } from './handlerRegistry.ts';
import type { SessionMessage } from './sessionProtocol.ts';
import { SESSION_WORKER_RESOURCE_LIMITS, SessionWorkerPool, type SessionWorkerPoolOptions } from './sessionWorkerPool.ts';
import type { SessionDriver } from './workerSessionDriver.ts';
import { FakeClock } from './testing/fakeClock.ts';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function makePool(options: SessionWorkerPoolOptions = {}): SessionWorkerPool {
  const pool = new SessionWorkerPool(options);
  cleanup.push(() => pool.closeIdle());
  return pool;
}

function registration(id: string, items: readonly ScriptedItem[]): ResolvedRegistration {
  const stateDir = tempDir();
  cleanup.push(() => rmSync(stateDir, { recursive: true, force: true }));
  return resolveRegistration(scriptedHandlerRegistration({ id, items }), stateDir);
}

/** A session's driver, the messages it delivered, and its last one. */
function run(pool: SessionWorkerPool, from: ResolvedRegistration, itemIds: readonly string[]): { driver: SessionDriver; messages: SessionMessage[]; ended: Promise<SessionMessage> } {
  const messages: SessionMessage[] = [];
  let settle: (message: SessionMessage) => void = () => {};
  const ended = new Promise<SessionMessage>((resolve) => (settle = resolve));
  const driver = pool.start(from, itemIds, (message) => {
    messages.push(message);
    if (message.type === 'done' || message.type === 'failed') settle(message);
  });
  return { driver, messages, ended };
}

const finalStates = (messages: readonly SessionMessage[]) =>
  messages.flatMap((message) => (message.type === 'progress' && ['succeeded', 'failed', 'canceled'].includes(message.status) ? [`${message.itemId}:${message.status}`] : []));

test('a worker whose session returned serves the next session of its handler', async () => {
  const pool = makePool();
  const scripted = registration('scripted', [{ id: 'a' }, { id: 'b' }]);
  const first = run(pool, scripted, ['a']);
  expect(await first.ended).toEqual({ type: 'done' });
  expect(pool.stats()).toEqual({ spawned: 1, busy: 0, idle: 1 });
  const second = run(pool, scripted, ['a', 'b']);
  expect(pool.stats()).toEqual({ spawned: 1, busy: 1, idle: 0 });
  expect(await second.ended).toEqual({ type: 'done' });
  expect(finalStates(second.messages)).toEqual(['a:succeeded', 'b:succeeded']);
  expect(pool.stats()).toEqual({ spawned: 1, busy: 0, idle: 1 });
});

test('a reused worker gets a fresh cancel buffer: a canceled session does not cancel the next one', async () => {
  const pool = makePool();
  const scripted = registration('scripted', [{ id: 'a', steps: 50, delayMs: 5 }]);
  const first = run(pool, scripted, ['a']);
  first.driver.cancelAll();
  await first.ended;
  expect(finalStates(first.messages)).toEqual(['a:canceled']);
  const second = run(pool, scripted, ['a']);
  await second.ended;
  expect(finalStates(second.messages)).toEqual(['a:succeeded']);
  expect(pool.stats().spawned).toBe(1);
});

test('handlers never share a worker', async () => {
  const pool = makePool();
  await run(pool, registration('one', [{ id: 'a' }]), ['a']).ended;
  await run(pool, registration('two', [{ id: 'a' }]), ['a']).ended;
  expect(pool.stats()).toEqual({ spawned: 2, busy: 0, idle: 2 });
});

test('a worker whose handler threw or crashed is not reused; the session fails', async () => {
  const pool = makePool();
  const throwing = registration('throwing', [{ id: 'a', outcome: 'throw' }, { id: 'ok' }]);
  expect(await run(pool, throwing, ['a']).ended).toEqual({ type: 'failed', message: 'scripted failure in a' });
  expect(pool.stats()).toMatchObject({ busy: 0, idle: 0 });
  await run(pool, throwing, ['ok']).ended;
  expect(pool.stats()).toEqual({ spawned: 2, busy: 0, idle: 1 });

  const crashing = registration('crashing', [{ id: 'a', outcome: 'crash' }, { id: 'ok' }]);
  expect(await run(pool, crashing, ['a']).ended).toEqual({ type: 'failed', message: "The handler's worker exited unexpectedly (code 7)." });
  await run(pool, crashing, ['ok']).ended;
  expect(pool.stats()).toEqual({ spawned: 4, busy: 0, idle: 2 });
});

test('a terminated worker (a handler that ignored Stop) is not reused and delivers nothing more', async () => {
  const pool = makePool();
  const hanging = registration('hanging', [{ id: 'a', outcome: 'hang', delayMs: 5 }, { id: 'ok' }]);
  const stuck = run(pool, hanging, ['a']);
  await new Promise((resolve) => setTimeout(resolve, 100));
  stuck.driver.cancelAll();
  await stuck.driver.terminate();
  const delivered = stuck.messages.length;
  expect(pool.stats()).toEqual({ spawned: 1, busy: 0, idle: 0 });
  await run(pool, hanging, ['ok']).ended;
  expect(pool.stats()).toEqual({ spawned: 2, busy: 0, idle: 1 });
  expect(stuck.messages.length).toBe(delivered);
  expect(stuck.messages.some((message) => message.type === 'done' || message.type === 'failed')).toBe(false);
});

test('an idle worker is terminated after the idle timeout', async () => {
  const timers = new FakeClock(0);
  const pool = makePool({ timers, idleMs: 1000 });
  const scripted = registration('scripted', [{ id: 'a' }]);
  await run(pool, scripted, ['a']).ended;
  expect(pool.stats().idle).toBe(1);
  expect(timers.pending).toBe(1);
  await run(pool, scripted, ['a']).ended; // taking the worker cancels its timeout; going idle again sets a new one
  expect(timers.pending).toBe(1);
  await timers.advance(1000);
  expect(pool.stats()).toEqual({ spawned: 1, busy: 0, idle: 0 });
  await run(pool, scripted, ['a']).ended;
  expect(pool.stats()).toEqual({ spawned: 2, busy: 0, idle: 1 });
});

test('idle workers are bounded per handler and in all; a worker retires after its quota of sessions', async () => {
  const pool = makePool({ idlePerHandler: 1, idleTotal: 2, sessionsPerWorker: 2 });
  const concurrent = registration('concurrent', [{ id: 'a', steps: 3, delayMs: 10 }, { id: 'b', steps: 3, delayMs: 10 }]);
  await Promise.all([run(pool, concurrent, ['a']).ended, run(pool, concurrent, ['b']).ended]);
  expect(pool.stats()).toEqual({ spawned: 2, busy: 0, idle: 1 });
  await run(pool, registration('two', [{ id: 'a' }]), ['a']).ended;
  await run(pool, registration('three', [{ id: 'a' }]), ['a']).ended;
  expect(pool.stats()).toEqual({ spawned: 4, busy: 0, idle: 2 }); // the longest idle (concurrent's) went
  const quota = registration('quota', [{ id: 'a' }]);
  for (let session = 0; session < 3; session += 1) await run(pool, quota, ['a']).ended;
  expect(pool.stats().spawned).toBe(6); // the third session needed a new worker
});

test('sessions run with the bounded young generation of SESSION_WORKER_RESOURCE_LIMITS', async () => {
  const pool = makePool();
  const session = run(pool, registration('scripted', [{ id: 'a', reportsLimits: true }]), ['a']);
  expect(await session.ended).toEqual({ type: 'done' });
  const reported = session.messages.flatMap((message) => (message.type === 'event' && message.event.name === 'resourceLimits' ? [JSON.parse(message.event.description) as unknown] : []));
  expect(reported).toEqual([expect.objectContaining({ maxYoungGenerationSizeMb: SESSION_WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb })]);
  expect(SESSION_WORKER_RESOURCE_LIMITS.maxYoungGenerationSizeMb).toBe(16);
});

test('heapStatistics sums the live workers\' V8 heaps', async () => {
  const pool = makePool();
  expect(await pool.heapStatistics()).toEqual({ workers: 0, usedHeapSize: 0, totalHeapSize: 0, mallocedMemory: 0 });
  const session = run(pool, registration('scripted', [{ id: 'a' }]), ['a']);
  await session.ended;
  const heaps = await pool.heapStatistics();
  expect(heaps.workers).toBe(1);
  expect(heaps.usedHeapSize).toBeGreaterThan(1024 * 1024);
  expect(heaps.totalHeapSize).toBeGreaterThanOrEqual(heaps.usedHeapSize);
});

test('a worker left idle runs a full garbage collection: what its session held is given back', async () => {
  const pool = makePool({ idleCollectionMs: 20 });
  const session = run(pool, registration('scripted', [{ id: 'a', holdsMb: 64 }]), ['a']);
  expect(await session.ended).toEqual({ type: 'done' });
  await expect.poll(async () => (await pool.heapStatistics()).usedHeapSize, { timeout: 10_000, interval: 50 }).toBeLessThan(32 * 1024 * 1024);
});
