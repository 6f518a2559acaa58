import { afterEach, expect, test } from 'vitest';
import { scriptedHandlerRegistration } from './fixtures/scriptedHandler.ts';
import { legacyHandlerRegistration } from './fixtures/legacyMailHandler.ts';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';

let host: TestHost | undefined;
afterEach(async () => {
  await host?.dispose();
  host = undefined;
});

const errorsOf = async (h: TestHost) => (await h.api.listEvents({ level: 'error' })).map((event) => `${event.itemId ?? '-'}: ${event.name}: ${event.description}`);

test('a handler that throws fails its unfinished items with an error event; other handlers go on', async () => {
  const script = { items: [{ id: 'a' }, { id: 'b', outcome: 'throw' as const }, { id: 'c' }] };
  host = await startTestHost(script, { handlers: [scriptedHandlerRegistration(script), scriptedHandlerRegistration({ id: 'other', items: [{ id: 'x' }] })] });
  const result = await host.api.startSyncAll({});
  expect(result.items.map((item) => `${item.handlerId}/${item.itemId}:${item.state}`).sort()).toEqual([
    'other/x:succeeded',
    'scripted/a:succeeded',
    'scripted/b:failed',
    'scripted/c:failed',
  ]);
  expect(await errorsOf(host)).toContainEqual('-: Synchronization failed: scripted failure in b');
});

test('a worker that dies fails its items with an error event', async () => {
  host = await startTestHost({ items: [{ id: 'a', outcome: 'crash' }] });
  const result = await host.api.startHandlerSync({ handlerId: 'scripted' });
  expect(result).toMatchObject({ status: 'failed', items: [{ itemId: 'a', state: 'failed' }] });
  expect((await errorsOf(host)).join('\n')).toMatch(/worker exited unexpectedly \(code 7\)/);
});

test('status rules: after a final status only failed is accepted; anything else fails the item', async () => {
  host = await startTestHost({ items: [{ id: 'a', outcome: 'badStatus' }, { id: 'b' }] });
  const result = await host.api.startHandlerSync({ handlerId: 'scripted' });
  expect(result.items.map((item) => [item.itemId, item.state])).toEqual([['a', 'failed'], ['b', 'succeeded']]);
  expect((await errorsOf(host)).join('\n')).toMatch(/"updating" for "a" after "succeeded"/);
});

test('an item the handler never reports on ends failed, with an event saying so', async () => {
  host = await startTestHost({ items: [{ id: 'a', outcome: 'noResult' }] });
  expect((await host.api.startHandlerSync({ handlerId: 'scripted' })).status).toBe('failed');
  expect((await errorsOf(host)).join('\n')).toMatch(/without a result for a/);
});

test('the legacy adapter runs an asynchronous-style handler unchanged, with its logged errors', async () => {
  host = await startTestHost({ items: [] }, { handlers: [legacyHandlerRegistration({ failing: 'outbox' })] });
  const [handler] = await host.api.listHandlers({});
  expect(handler).toMatchObject({ id: 'legacy-mail', name: 'Legacy mail', typeLabel: 'Mail folders' });
  const result = await host.api.startHandlerSync({ handlerId: 'legacy-mail' });
  expect(result.items.map((item) => [item.itemId, item.state])).toEqual([['inbox', 'succeeded'], ['outbox', 'failed']]);
  expect(await errorsOf(host)).toContainEqual('outbox: Handler message: Cannot reach the mail server for outbox.');
});

test('the legacy adapter maps cancel-item and cancel-all answers of Progress', async () => {
  host = await startTestHost({ items: [] }, { handlers: [legacyHandlerRegistration({ steps: 100_000, stepDelayMs: 1 })], stopGraceMs: 60_000 });
  const running = host.api.startHandlerSync({ handlerId: 'legacy-mail' });
  await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'inbox' && event.state === 'updating');
  await host.api.stopItemSync({ handlerId: 'legacy-mail', itemIds: ['inbox'] });
  await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'outbox' && event.state === 'updating');
  await host.api.stopHandlerSync({ handlerId: 'legacy-mail' });
  const result = await running;
  expect(result.items.map((item) => [item.itemId, item.state])).toEqual([['inbox', 'canceled'], ['outbox', 'canceled']]);
  expect(await errorsOf(host)).toEqual([]);
});
