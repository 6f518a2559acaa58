/**
 * The host core's item details (Properties and Browse) over a real core with the scripted fixture: what a handler
 * describes is checked against the contract before anyone sees it, and Browse is offered only where it can work.
 */
import { afterEach, expect, test, vi } from 'vitest';
import { startTestHost, type TestHost } from './hostTestKit.ts';

let host: TestHost | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await host?.dispose();
  host = undefined;
});

test('an item that says where it lives is browsable, and its details list that place', async () => {
  host = await startTestHost({ items: [{ id: 'docs', location: '/srv/docs' }, { id: 'plain' }] });
  const [handler] = await host.api.listHandlers({});
  expect(handler?.items.map((item) => [item.id, item.browsable])).toEqual([
    ['docs', true],
    ['plain', false],
  ]);
  expect(await host.api.getItemDetails({ handlerId: 'scripted', itemId: 'docs' })).toEqual({
    handlerId: 'scripted',
    itemId: 'docs',
    browsable: true,
    locations: [{ side: null, path: '/srv/docs' }],
    conflictPolicy: null,
    exclude: [],
    lastSession: null,
  });
  expect(await host.api.getItemDetails({ handlerId: 'scripted', itemId: 'plain' })).toMatchObject({ browsable: false, locations: [] });
});

test('unknown handlers and items, and a handler describing an item wrongly, are clear errors', async () => {
  host = await startTestHost({ items: [{ id: 'broken', location: '' }] });
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Handler "scripted" has no item "ghost" (it may have been deleted); list the items again.' });
  await expect(host.api.getItemDetails({ handlerId: 'nobody', itemId: 'broken' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"nobody"') });
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'broken' })).rejects.toMatchObject({
    code: 'BAD_HANDLER',
    message: expect.stringMatching(/^Handler "scripted" described item "broken" wrongly: locations\.0\.path/),
  });
});

test('policies decide which commands the window offers and which ask first; the host refuses the prevented ones', async () => {
  host = await startTestHost({
    policies: { disableStopSync: true },
    capabilities: { queryBeforeDisable: true },
    items: [
      { id: 'kept', canDelete: false, capabilities: { preventStartSync: true, preventStopSync: true, queryBeforeDelete: true } },
      { id: 'free', capabilities: { queryBeforeEnable: true, queryBeforeDisable: true, queryBeforeDelete: true } },
    ],
  });
  const [handler] = await host.api.listHandlers({});
  expect(handler?.commands).toEqual({ canSync: true, canStop: false, canEnable: true, canDisable: true, canDelete: false, confirmEnable: false, confirmDisable: true, confirmDelete: false });
  expect(handler?.items.map((item) => [item.id, item.commands])).toEqual([
    ['kept', { canSync: false, canStop: false, canEnable: true, canDisable: true, canDelete: false, confirmEnable: false, confirmDisable: false, confirmDelete: true }],
    ['free', { canSync: true, canStop: false, canEnable: true, canDisable: true, canDelete: true, confirmEnable: true, confirmDisable: true, confirmDelete: true }],
  ]);
  await expect(host.api.startItemSync({ handlerId: 'scripted', itemIds: ['kept'] })).rejects.toMatchObject({ code: 'BAD_STATE', message: 'Item "kept" does not allow starting a sync.' });
  await expect(host.api.stopItemSync({ handlerId: 'scripted', itemIds: ['free', 'kept'] })).rejects.toMatchObject({ code: 'BAD_STATE', message: 'Item "kept" does not allow stopping.' });
  await expect(host.api.deleteItem({ handlerId: 'scripted', itemId: 'kept' })).rejects.toMatchObject({ code: 'BAD_STATE', message: 'Item "kept" cannot be deleted.' });
});

test('in French, the host refuses in French with the same codes, and quotes the detail of a wrong description as it is', async () => {
  host = await startTestHost({ items: [{ id: 'kept', canDelete: false }, { id: 'broken', location: '' }] });
  vi.stubEnv('SYNCCENTER_LANG', 'fr_FR.UTF-8');
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Le gestionnaire « scripted » n’a pas d’élément « ghost » (il a peut-être été supprimé) ; affichez de nouveau la liste des éléments.' });
  await expect(host.api.getItemDetails({ handlerId: 'nobody', itemId: 'kept' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Il n’y a pas de gestionnaire « nobody ».' });
  await expect(host.api.deleteItem({ handlerId: 'scripted', itemId: 'kept' })).rejects.toMatchObject({ code: 'BAD_STATE', message: 'L’élément « kept » ne peut pas être supprimé.' });
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'broken' })).rejects.toMatchObject({
    code: 'BAD_HANDLER',
    message: expect.stringMatching(/^Le gestionnaire « scripted » a mal décrit l’élément « broken » : locations\.0\.path/),
  });
});
