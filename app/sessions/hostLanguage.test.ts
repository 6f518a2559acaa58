/**
 * The host's language follows the window's (`setHostLanguage`): the host's own errors at once, and what a
 * handler writes in its session worker from the next session on, also in a worker started in another language.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { createSyncCenter, type SyncCenter } from '../control/syncCenter.ts';
import { builtInHandlers } from '../runtime/builtInHandlers.ts';

let dir = '';
let core: SyncCenter;

beforeEach(async () => {
  vi.stubEnv('SYNCCENTER_LANG', 'en'); // the system's language; restored after each test
  dir = mkdtempSync(path.join(tmpdir(), 'synccenter-language-'));
  core = await createSyncCenter({ stateDir: path.join(dir, 'state'), version: 'test', handlers: builtInHandlers().filter((registration) => registration.id === 'folders') });
});

afterEach(async () => {
  await core.close();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

test('errors and Sync Results switch language with the window, sessions in an already running worker too', async () => {
  for (const side of ['laptop', 'usb']) mkdirSync(path.join(dir, side));
  writeFileSync(path.join(dir, 'laptop', 'a.txt'), 'a');
  const item = await core.api.addItem({ handlerId: 'folders', args: [path.join(dir, 'laptop'), path.join(dir, 'usb')] });
  expect(await core.api.startItemSync({ handlerId: 'folders', itemIds: [item.id] })).toMatchObject({ status: 'succeeded' }); // the worker starts in English
  await expect(core.api.getItemDetails({ handlerId: 'folders', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^Handler "folders" has no item "ghost"/) });

  await core.api.setHostLanguage({ language: 'fr' });
  await expect(core.api.getItemDetails({ handlerId: 'folders', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^Le gestionnaire « folders » n’a pas d’élément « ghost »/) });
  rmSync(path.join(dir, 'usb'), { recursive: true });
  expect(await core.api.startItemSync({ handlerId: 'folders', itemIds: [item.id] })).toMatchObject({ status: 'failed' });
  const [french] = await core.api.listEvents({ itemId: item.id, level: 'error' });
  expect(french?.description).toMatch(/^Racine du réplica introuvable/);

  await core.api.setHostLanguage({ language: 'en' });
  expect(await core.api.startItemSync({ handlerId: 'folders', itemIds: [item.id] })).toMatchObject({ status: 'failed' });
  const [english] = await core.api.listEvents({ itemId: item.id, level: 'error' });
  expect(english?.description).toMatch(/^Replica root missing/);
});

test('a language the host does not speak is refused, naming the field', async () => {
  // Through the contract, as every transport calls it.
  const { dispatchCall } = await import('../control/dispatch.ts');
  expect(await dispatchCall(core.api, 'setHostLanguage', { language: 'de' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid request for setHostLanguage: language: /) } });
});
