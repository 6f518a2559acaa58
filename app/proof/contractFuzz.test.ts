/**
 * Property-based fuzzing of every contract call over the web host (HTTP) and the control endpoint (Unix socket,
 * NDJSON), against a real core with the scripted fixture handler (the IPC wrapper is fuzzed in
 * main/ipc.fuzz.test.ts with the same arbitraries).
 *
 * Any call name and any payload the contract refuses get `{ ok: false, error: { code, message } }` with
 * BAD_REQUEST (naming the call) or UNKNOWN_CALL; garbage that is not JSON gets BAD_REQUEST; the host never
 * crashes, answers every request exactly once, still serves a valid call afterwards, and its state (handlers,
 * items, events, conflicts) is exactly as before. Runs: PROOF_FUZZ_RUNS per transport (default 1000).
 */
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlApi } from '../control/contract.ts';
import { startControlEndpoint, type ControlEndpoint } from '../host/controlEndpoint.ts';
import { startWebHost, type WebHost } from '../host/webHost.ts';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';
import { callNameArb, expectedRefusal, fuzzRuns, isValidRequest, jsonPayloadArb } from './contractArbitraries.ts';
import { proofSeed } from './proofKit.ts';

let host: TestHost;
let web: WebHost;
let endpoint: ControlEndpoint;

beforeAll(async () => {
  host = await startTestHost({ items: [{ id: 'alpha', steps: 2 }, { id: 'beta', steps: 2, conflicts: 1 }] });
  await host.api.startSyncAll({}); // some events and a conflict, so that "nothing changed" means something
  web = await startWebHost({ api: host.api, rendererDir: host.stateDir, port: 0 });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
});

afterAll(async () => {
  await endpoint.close();
  await web.close();
  await host.dispose();
});

/** Everything a refused request must leave as it was. */
async function stateOf(api: ControlApi): Promise<string> {
  return JSON.stringify([await api.listHandlers({}), await api.listEvents({}), await api.listConflicts({})]);
}

const garbageArb = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"a":', 'null null', '\u0000', '[1,2', '{"__proto__": {"polluted": 1}}', 'undefined', 'NaN'));

describe('contract fuzzing over the web host (HTTP)', () => {
  const post = async (name: string, body: string) => {
    const response = await fetch(`${web.origin}/api/call/${encodeURIComponent(name)}`, { method: 'POST', headers: { Authorization: `Bearer ${web.token}`, 'Content-Type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { code: string; message: string } } };
  };

  it(`refuses every invalid request with a clear error and changes nothing (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('contract fuzzing, web host');
    const before = await stateOf(host.api);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(callNameArb, fc.oneof(jsonPayloadArb.map((payload) => ({ json: true as const, text: JSON.stringify(payload), payload })), garbageArb.map((text) => ({ json: false as const, text, payload: undefined }))), async (name, body) => {
        let parsed: unknown;
        try {
          parsed = body.text.trim() === '' ? undefined : JSON.parse(body.text); // an empty body is an empty request
        } catch {
          parsed = Symbol('not JSON');
        }
        fc.pre(typeof parsed === 'symbol' || !isValidRequest(name, parsed));
        const { status, body: answer } = await post(name, body.text);
        expect(answer.ok).toBe(false);
        expect(answer.error?.message.length).toBeGreaterThan(0);
        if (typeof parsed === 'symbol') expect([[400, 'BAD_REQUEST'], [404, 'UNKNOWN_CALL']]).toContainEqual([status, answer.error?.code]);
        else if (name === '' || !/^[\w-]+$/.test(name)) expect([400, 404]).toContain(status);
        else if (expectedRefusal(name) === 'UNKNOWN_CALL') expect([status, answer.error?.code]).toEqual([404, 'UNKNOWN_CALL']);
        else {
          expect([status, answer.error?.code]).toEqual([400, 'BAD_REQUEST']);
          expect(answer.error?.message).toContain(name);
        }
        refused += 1;
      }),
      { seed, numRuns: fuzzRuns },
    );
    expect(await stateOf(host.api)).toBe(before);
    expect((await post('listHandlers', '{}')).body.ok).toBe(true);
    console.log(`[proof] contract fuzzing, web host: ${refused} invalid requests refused with BAD_REQUEST / UNKNOWN_CALL, state unchanged, host alive`);
  }, 120_000);
});

/** A line client of the control endpoint: every answer line, by id. */
class EndpointClient {
  private readonly socket: Socket;
  private buffer = '';
  private readonly waiting = new Map<string, (answer: unknown) => void>();
  readonly unmatched: unknown[] = [];

  constructor(path: string) {
    this.socket = connect(path);
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      for (let newline = this.buffer.indexOf('\n'); newline >= 0; newline = this.buffer.indexOf('\n')) {
        const answer = JSON.parse(this.buffer.slice(0, newline)) as { id: unknown };
        this.buffer = this.buffer.slice(newline + 1);
        const waiter = this.waiting.get(JSON.stringify(answer.id));
        if (waiter === undefined) this.unmatched.push(answer);
        else {
          this.waiting.delete(JSON.stringify(answer.id));
          waiter(answer);
        }
      }
    });
  }

  /** Sends one raw line; resolves with the answer carrying `id` (null for lines the endpoint cannot read). */
  send(line: string, id: unknown): Promise<{ id: unknown; result: { ok: boolean; error?: { code: string; message: string } } }> {
    return new Promise((resolve) => {
      this.waiting.set(JSON.stringify(id), resolve as (answer: unknown) => void);
      this.socket.write(`${line}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** True for a JSON object line with an id (the endpoint answers those under their id, not null). */
function hasAnId(line: string): boolean {
  try {
    const value = JSON.parse(line) as { id?: unknown } | null;
    return typeof value === 'object' && value !== null && (typeof value.id === 'string' || typeof value.id === 'number');
  } catch {
    return false;
  }
}

describe('contract fuzzing over the control endpoint (socket)', () => {
  it(`refuses every invalid request with a clear error, one answer per line, and changes nothing (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('contract fuzzing, control endpoint');
    const client = new EndpointClient(endpoint.path);
    const before = await stateOf(host.api);
    let next = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.record({ name: callNameArb, payload: jsonPayloadArb }), garbageArb), async (input) => {
        if (typeof input === 'string') {
          fc.pre(!input.includes('\n') && input.trim() !== '');
          fc.pre(!hasAnId(input));
          const answer = await client.send(input, null);
          expect(answer.result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
          refused += 1;
          return;
        }
        fc.pre(!isValidRequest(input.name, input.payload));
        const id = ++next;
        const answer = await client.send(JSON.stringify({ id, call: input.name, request: input.payload }), id);
        expect(answer.result.ok).toBe(false);
        expect(answer.result.error?.code).toBe(expectedRefusal(input.name));
        refused += 1;
      }),
      { seed, numRuns: fuzzRuns },
    );
    const alive = await client.send(JSON.stringify({ id: 'last', call: 'listHandlers', request: {} }), 'last');
    expect(alive.result.ok).toBe(true);
    expect(client.unmatched).toEqual([]);
    client.close();
    expect(await stateOf(host.api)).toBe(before);
    console.log(`[proof] contract fuzzing, control endpoint: ${refused} invalid lines refused with BAD_REQUEST / UNKNOWN_CALL, one answer each, state unchanged, endpoint alive`);
  }, 120_000);
});
