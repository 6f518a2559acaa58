/**
 * Property-based fuzzing of every contract call over the IPC adapter (with the Electron fakes: arguments and
 * answers pass `structuredClone`, as in Electron), against a real core with the scripted fixture handler.
 *
 * From the app window, any call name with any payload the contract refuses gets `{ ok: false }` with BAD_REQUEST
 * (naming the call) or UNKNOWN_CALL; from any other frame, every call, valid or not, gets FORBIDDEN_SENDER. The
 * adapter never throws and the core's state is as before. Arbitraries and run count: app/proof/contractArbitraries.ts.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames, ipcChannel, type ControlApi } from '../app/control/contract.ts';
import { callNameArb, clonablePayloadArb, expectedRefusal, fuzzRuns, isValidRequest } from '../app/proof/contractArbitraries.ts';
import { proofSeed } from '../app/proof/proofKit.ts';
import { startTestHost, type TestHost } from '../app/sessions/hostTestKit.ts';
import { registerIpc } from './ipc.ts';
import { FakeIpc } from './testing/electronFakes.ts';
import { isAppUrl } from './windowSecurity.ts';

const windowUrl = 'app://sync-center/index.html';
let host: TestHost;
const ipc = new FakeIpc();

beforeAll(async () => {
  host = await startTestHost({ items: [{ id: 'alpha', steps: 2 }, { id: 'beta', steps: 2, conflicts: 1 }] });
  await host.api.startSyncAll({});
  registerIpc(ipc, host.api, isAppUrl);
});

afterAll(async () => {
  await host.dispose();
});

async function stateOf(api: ControlApi): Promise<string> {
  return JSON.stringify([await api.listHandlers({}), await api.listEvents({}), await api.listConflicts({})]);
}

type Answer = { ok: boolean; error?: { code: string; message: string } };

describe('contract fuzzing over IPC (fakes)', () => {
  it(`refuses every invalid request from the window with a clear error and changes nothing (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('contract fuzzing, IPC');
    const before = await stateOf(host.api);
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(callNameArb, clonablePayloadArb, async (name, payload) => {
        fc.pre(!isValidRequest(name, payload));
        let cloned: unknown;
        try {
          cloned = structuredClone(payload);
        } catch {
          return; // Electron could not send it either
        }
        fc.pre(!isValidRequest(name, cloned));
        const answer = (await ipc.invokeFrom(windowUrl, ipcChannel.call, name, payload)) as Answer;
        expect(answer.ok).toBe(false);
        expect(answer.error?.code).toBe(expectedRefusal(name));
        if (expectedRefusal(name) === 'BAD_REQUEST') expect(answer.error?.message).toContain(name);
        refused += 1;
      }),
      { seed, numRuns: fuzzRuns },
    );
    expect(await stateOf(host.api)).toBe(before);
    console.log(`[proof] contract fuzzing, IPC: ${refused} invalid calls refused with BAD_REQUEST / UNKNOWN_CALL, state unchanged`);
  }, 120_000);

  it(`refuses every call from any other frame, valid or not (${fuzzRuns} runs)`, async () => {
    const seed = proofSeed('contract fuzzing, IPC sender frames');
    const before = await stateOf(host.api);
    const frameArb = fc.oneof(fc.webUrl(), fc.constantFrom('app://sync-center.evil.example/', 'app://evil@sync-center/', 'file:///etc/passwd', 'about:blank', 'data:text/html,x', 'app://sync-center:80/', 'APP://SYNC-CENTER/'), fc.string());
    const validArb = fc.constantFrom(...callNames.filter((name) => isValidRequest(name, {})));
    await fc.assert(
      fc.asyncProperty(frameArb, fc.oneof(validArb, callNameArb), clonablePayloadArb, async (frame, name, payload) => {
        fc.pre(!isAppUrl(frame));
        try {
          structuredClone(payload);
        } catch {
          return;
        }
        const answer = (await ipc.invokeFrom(frame, ipcChannel.call, name, isValidRequest(name, {}) ? {} : payload)) as Answer;
        expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      }),
      { seed, numRuns: fuzzRuns },
    );
    expect(await stateOf(host.api)).toBe(before);
  }, 120_000);
});
