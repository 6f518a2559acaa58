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

/** The refused requests, each with what it is answered in English and in French. */
const refusals: readonly { readonly call: string; readonly request: unknown; readonly en: unknown; readonly fr: unknown }[] = [
  {
    call: 'formatDisk',
    request: {},
    en: { ok: false, error: { code: 'UNKNOWN_CALL', message: 'Unknown call "formatDisk".' } },
    fr: { ok: false, error: { code: 'UNKNOWN_CALL', message: 'Appel inconnu « formatDisk ».' } },
  },
  {
    call: 'getItemDetails',
    request: { handlerId: 'folders', itemId: 7 },
    en: { ok: false, error: { code: 'BAD_REQUEST', message: 'Invalid request for getItemDetails: itemId: Invalid input: expected string, received number' } },
    fr: { ok: false, error: { code: 'BAD_REQUEST', message: 'Requête non valide pour getItemDetails : itemId: Entrée invalide : chaîne de caractères attendu, nombre reçu' } },
  },
  {
    call: 'getItemDetails',
    request: 'not an object',
    en: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid request for getItemDetails: \(request\): /) } }),
    fr: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Requête non valide pour getItemDetails : \(requête\): /) } }),
  },
  {
    call: 'getItemDetails',
    request: { handlerId: 'bad id', itemId: 'a' },
    en: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: 'Invalid request for getItemDetails: handlerId: ids use letters, digits, ".", "_", ":" and "-" only' } }),
    fr: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: 'Requête non valide pour getItemDetails : handlerId: les identifiants ne contiennent que des lettres, des chiffres, « . », « _ », « : » et « - »' } }),
  },
  {
    call: 'saveSchedule',
    request: { handlerId: 'folders', trigger: { kind: 'fileChange', delaySeconds: 0.05, minIntervalSeconds: 100_000 } },
    en: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: 'Invalid request for saveSchedule: trigger.delaySeconds: must be at least 0.1 seconds; trigger.minIntervalSeconds: must be at most 86400 seconds' } }),
    fr: expect.objectContaining({ error: { code: 'BAD_REQUEST', message: 'Requête non valide pour saveSchedule : trigger.delaySeconds: doit être d’au moins 0,1 secondes; trigger.minIntervalSeconds: doit être d’au plus 86\u202f400 secondes' } }),
  },
];

describe('dispatchCall refuses what the contract does not allow, in the host language', () => {
  it.each([
    ['en', 'in English: names the unknown call, and the call and field of a bad request'],
    ['fr_FR.UTF-8', 'in French: the same codes, every word French, zod\'s own included'],
  ] as const)('%s: %s', async (locale, _what) => {
    vi.stubEnv('SYNCCENTER_LANG', locale);
    for (const { call, request, en, fr } of refusals) expect(await dispatchCall(api, call, request), `${call} ${JSON.stringify(request)}`).toEqual(locale === 'en' ? en : fr);
    expect(api.getItemDetails).not.toHaveBeenCalled();
  });
});
