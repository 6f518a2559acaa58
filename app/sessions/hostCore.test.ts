/**
 * The host core's item details (Properties and Browse) over a real core with the scripted fixture: what a handler
 * describes is checked against the contract before anyone sees it, and Browse is offered only where it can work.
 */
import { afterEach, expect, test } from 'vitest';
import { startTestHost, type TestHost } from './hostTestKit.ts';

let host: TestHost | undefined;
afterEach(async () => {
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
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Handler "scripted" has no item "ghost".' });
  await expect(host.api.getItemDetails({ handlerId: 'nobody', itemId: 'broken' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"nobody"') });
  await expect(host.api.getItemDetails({ handlerId: 'scripted', itemId: 'broken' })).rejects.toMatchObject({
    code: 'BAD_HANDLER',
    message: expect.stringMatching(/^Handler "scripted" described item "broken" wrongly: locations\.0\.path/),
  });
});
