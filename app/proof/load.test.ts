/**
 * Load: 20 handlers with 50 items each (the scripted fixture handler) syncing at once while Sync All is pressed
 * repeatedly, handlers and items are synced and stopped at random, all through the control endpoint. The queue
 * stays correct: every request is answered exactly once with a result listing exactly its items, each in a final
 * state; sessions never overlap per handler, start and finish once; nothing is left running. Actions:
 * PROOF_LOAD_ACTIONS (default 120). The 10-minute soak of the same load is `npm run bench -- soak`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueProblems, startLoadHost, storm, type LoadHost } from './loadDriver.ts';
import { proofSeed, seededRandom } from './proofKit.ts';

const ACTIONS = Number(process.env.PROOF_LOAD_ACTIONS ?? 120);
let load: LoadHost;

beforeAll(async () => {
  load = await startLoadHost(20, 50);
});

afterAll(async () => {
  await load.close();
});

describe('load: 20 handlers × 50 items under a storm of syncs and stops', () => {
  it(`answers every one of ${ACTIONS} requests exactly once and keeps the queue correct`, async () => {
    const random = seededRandom(proofSeed('load'));
    const started = performance.now();
    const { starts, stops } = await storm(load, random, ACTIONS);
    const problems = await queueProblems(load, starts, stops, load.host.events);
    const events = load.host.events;
    const sessions = events.filter((event) => event.type === 'sessionStarted').length;
    const items = events.filter((event) => event.type === 'itemFinished').length;
    console.log(`[proof] load: ${starts.length} start requests and ${stops.length} stops over 20 handlers × 50 items in ${((performance.now() - started) / 1000).toFixed(1)} s; ${sessions} sessions, ${items} item runs; every request answered once; ${problems.length} problem(s)`);
    expect(problems).toEqual([]);
  }, 300_000);
});
