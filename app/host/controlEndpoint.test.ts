import { statSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { startTestHost, type TestHost } from '../sessions/hostTestKit.ts';
import { startControlEndpoint, type ControlEndpoint } from './controlEndpoint.ts';
import { connectControlEndpoint } from './controlEndpointClient.ts';

let host: TestHost | undefined;
let endpoint: ControlEndpoint | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await endpoint?.close();
  await host?.dispose();
  host = undefined;
  endpoint = undefined;
});

/** Sends raw lines and collects the answer lines. */
function exchange(socketPath: string, lines: string[], answers: number): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const parsed = text.split('\n').filter(Boolean);
      if (parsed.length >= answers) {
        socket.destroy();
        resolve(parsed.map((line) => JSON.parse(line) as unknown));
      }
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(lines.map((line) => `${line}\n`).join('')));
  });
}

test.skipIf(process.platform === 'win32')('the socket is owner-only in an owner-only directory', async () => {
  host = await startTestHost({ items: [{ id: 'a' }] });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
  expect(endpoint.path).toBe(path.join(host.stateDir, 'control.sock'));
  expect(statSync(endpoint.path).mode & 0o777).toBe(0o600);
  expect(statSync(host.stateDir).mode & 0o777).toBe(0o700);
  await expect(startControlEndpoint(host.api, host.stateDir)).rejects.toMatchObject({ code: 'BUSY', message: `Another Sync Center already serves ${host.stateDir}; close it first, or choose another data directory.` });
});

test('bad payloads are refused with clear errors and the connection keeps working', async () => {
  host = await startTestHost({ items: [{ id: 'a' }] });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
  const answers = await exchange(
    endpoint.path,
    ['not json', '[1,2]', '{"id":1,"call":"dropTables","request":{}}', '{"id":2,"call":"startItemSync","request":{"handlerId":"scripted","itemIds":"a"}}', '{"id":3,"call":"listHandlers","request":{}}'],
    5,
  );
  const byId = new Map(answers.map((answer) => [(answer as { id: unknown }).id, (answer as { result: { ok: boolean; error?: { code: string; message: string } } }).result]));
  expect(answers.filter((answer) => (answer as { id: unknown }).id === null)).toHaveLength(2);
  expect(byId.get(1)?.error?.code).toBe('UNKNOWN_CALL');
  expect(byId.get(2)?.error).toMatchObject({ code: 'BAD_REQUEST' });
  expect(byId.get(2)?.error?.message).toMatch(/itemIds/);
  expect(byId.get(3)?.ok).toBe(true);
});

test('the client speaks the contract: calls with domain errors intact, and the event stream', async () => {
  host = await startTestHost({ items: [{ id: 'a', steps: 3 }] });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
  const connection = await connectControlEndpoint(host.stateDir);
  expect(connection).not.toBeNull();
  const seen: string[] = [];
  connection!.api.subscribe((event) => seen.push(event.type));
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await connection!.api.startHandlerSync({ handlerId: 'scripted' })).status).toBe('succeeded');
  await expect(connection!.api.startHandlerSync({ handlerId: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  expect(seen).toContain('sessionFinished');
  connection!.close();
});

test('a command line is answered in its own language, whatever the host speaks (the window\'s)', async () => {
  host = await startTestHost({ items: [{ id: 'a' }] });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
  vi.stubEnv('SYNCCENTER_LANG', 'fr'); // the host's language, as the window set it
  const english = await connectControlEndpoint(host.stateDir, 'en_US.UTF-8');
  const unsaid = await connectControlEndpoint(host.stateDir);
  await expect(english!.api.getItemDetails({ handlerId: 'scripted', itemId: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/^Handler "scripted" has no item "ghost"/) });
  await expect(english!.api.startItemSync({ handlerId: 'scripted', itemIds: 'a' as unknown as string[] })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^Invalid request for startItemSync: itemIds: Invalid input/) });
  await expect(unsaid!.api.getItemDetails({ handlerId: 'scripted', itemId: 'ghost' })).rejects.toMatchObject({ message: expect.stringMatching(/^Le gestionnaire « scripted » n’a pas d’élément « ghost »/) });
  // A language that is not a locale is ignored: the host's.
  const [answer] = await exchange(endpoint.path, ['{"id":1,"call":"getItemDetails","request":{"handlerId":"scripted","itemId":"ghost"},"language":"../../etc"}'], 1);
  expect((answer as { result: { error: { message: string } } }).result.error.message).toMatch(/^Le gestionnaire/);
  english!.close();
  unsaid!.close();
});

test('a host that goes away, and a line that is not a message, are said in the caller\'s language', async () => {
  host = await startTestHost({ items: [{ id: 'a', steps: 200, delayMs: 20 }] });
  endpoint = await startControlEndpoint(host.api, host.stateDir);
  vi.stubEnv('SYNCCENTER_LANG', 'fr');
  const [refused] = await exchange(endpoint.path, ['not json'], 1);
  expect((refused as { result: { error: { message: string } } }).result.error.message).toBe('Chaque ligne doit être un objet JSON {"id", "call", "request"} ou {"id", "subscribe": true}.');
  const connection = await connectControlEndpoint(host.stateDir, 'fr');
  const pending = connection!.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await endpoint.close();
  endpoint = undefined;
  await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED', message: 'L’hôte Sync Center a fermé la connexion (il s’est arrêté ou a redémarré) ; relancez la commande.' });
  await host.api.stopSyncAll({});
});

test('an external process reports a session and reads Stop in the answer', async () => {
  host = await startTestHost({ items: [{ id: 'a' }] });
  const api = host.api;
  const opened = await api.reportSession({ handlerId: 'scripted', itemIds: ['a'], progress: [{ itemId: 'a', text: 'one', status: 'updating', current: 1, max: 4 }] });
  expect(opened.cancelRequest).toBe('none');
  await api.stopItemSync({ handlerId: 'scripted', itemIds: ['a'] });
  const next = await api.reportSession({ handlerId: 'scripted', sessionId: opened.sessionId, progress: [{ itemId: 'a', text: 'two', status: 'updating', current: 2, max: 4 }] });
  expect(next.cancelRequest).toBe('cancelAll');
  await api.reportSession({ handlerId: 'scripted', sessionId: opened.sessionId, progress: [{ itemId: 'a', text: 'stopped', status: 'canceled', current: 2, max: 4 }], finished: true });
  const [handler] = await api.listHandlers({});
  expect(handler?.items[0]?.state).toBe('canceled');
  await expect(api.reportSession({ handlerId: 'scripted', sessionId: opened.sessionId, finished: true })).rejects.toMatchObject({ code: 'NOT_FOUND' });
});
