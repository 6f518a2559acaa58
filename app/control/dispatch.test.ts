import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ControlCalls } from './contract.ts';
import { dispatchCall } from './dispatch.ts';

/** Only the calls these tests make; a call reaching it means validation let the request through. */
const api = {
  getItemDetails: vi.fn(async () => {
    throw new Error('validation should have refused the request');
  }),
} as unknown as ControlCalls;

afterEach(() => vi.unstubAllEnvs());

describe('dispatchCall refuses what the contract does not allow, in the host language', () => {
  it('in English: names the unknown call, and the call and field of a bad request', async () => {
    vi.stubEnv('SYNCCENTER_LANG', 'en');
    expect(await dispatchCall(api, 'formatDisk', {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'Unknown call "formatDisk".' } });
    expect(await dispatchCall(api, 'getItemDetails', { handlerId: 'folders', itemId: 7 })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Invalid request for getItemDetails: itemId: Invalid input: expected string, received number' },
    });
    expect(await dispatchCall(api, 'getItemDetails', 'not an object')).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid request for getItemDetails: \(request\): /) } });
    expect(await dispatchCall(api, 'saveSchedule', { handlerId: 'folders', trigger: { kind: 'fileChange', delaySeconds: 0.05, minIntervalSeconds: 100_000 } })).toMatchObject({
      error: { code: 'BAD_REQUEST', message: 'Invalid request for saveSchedule: trigger.delaySeconds: must be at least 0.1 seconds; trigger.minIntervalSeconds: must be at most 86400 seconds' },
    });
  });

  it('in French: the same codes, every word French, zod\'s own included', async () => {
    vi.stubEnv('SYNCCENTER_LANG', 'fr_FR.UTF-8');
    expect(await dispatchCall(api, 'formatDisk', {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'Appel inconnu « formatDisk ».' } });
    expect(await dispatchCall(api, 'getItemDetails', { handlerId: 'folders', itemId: 7 })).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Requête non valide pour getItemDetails : itemId: Entrée invalide : chaîne de caractères attendu, nombre reçu' },
    });
    expect(await dispatchCall(api, 'getItemDetails', 'not an object')).toMatchObject({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Requête non valide pour getItemDetails : \(requête\): /) } });
    expect(await dispatchCall(api, 'getItemDetails', { handlerId: 'bad id', itemId: 'a' })).toMatchObject({
      error: { code: 'BAD_REQUEST', message: 'Requête non valide pour getItemDetails : handlerId: les identifiants ne contiennent que des lettres, des chiffres, « . », « _ », « : » et « - »' },
    });
    expect(await dispatchCall(api, 'saveSchedule', { handlerId: 'folders', trigger: { kind: 'fileChange', delaySeconds: 0.05, minIntervalSeconds: 100_000 } })).toMatchObject({
      error: { code: 'BAD_REQUEST', message: 'Requête non valide pour saveSchedule : trigger.delaySeconds: doit être d’au moins 0,1 secondes; trigger.minIntervalSeconds: doit être d’au plus 86\u202f400 secondes' },
    });
    expect(api.getItemDetails).not.toHaveBeenCalled();
  });
});
