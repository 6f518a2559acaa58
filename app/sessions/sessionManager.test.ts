import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { SyncEvent } from '../control/events.ts';
import { suiteFileSystem } from '../handlers/folders/testFolders.ts';
import { scriptedHandlerRegistration } from '../runtime/fixtures/scriptedHandler.ts';
import { startTestHost, type TestHost } from './hostTestKit.ts';

let host: TestHost | undefined;
afterEach(async () => {
  await host?.dispose();
  host = undefined;
  vi.unstubAllEnvs();
});

const started = (itemId: string) => (event: SyncEvent) => event.type === 'itemStarted' && event.itemId === itemId;
const sessionsOf = (events: SyncEvent[]) =>
  events.filter((event) => event.type === 'sessionStarted').map((event) => (event.type === 'sessionStarted' ? [...event.itemIds].sort() : []));
// Runs until stopped: many short steps, each a chance to read the cancel request.
const endless = { steps: 100_000, delayMs: 2 };

describe('queue', () => {
  test('one session per handler; an item queued twice is merged into one run', async () => {
    host = await startTestHost({ items: [{ id: 'a', steps: 30, delayMs: 5 }, { id: 'b' }, { id: 'c' }] });
    const first = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    const second = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['b', 'c'] });
    const third = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['b'] });
    const results = await Promise.all([first, second, third]);
    expect(results.map((result) => result.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(sessionsOf(host.events)).toEqual([['a'], ['b', 'c']]);
    expect(results[2]?.items.map((item) => item.itemId)).toEqual(['b']);
  });

  test('without the ignore flag an item both running and requested runs again', async () => {
    host = await startTestHost({ items: [{ id: 'a', steps: 20, delayMs: 5 }, { id: 'b' }] });
    const first = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    await Promise.all([first, host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a', 'b'] })]);
    expect(sessionsOf(host.events)).toEqual([['a'], ['a', 'b']]);
  });

  test('with the ignore flag the running item is not run again and the request waits for its run', async () => {
    host = await startTestHost({ items: [{ id: 'a', steps: 20, delayMs: 5 }, { id: 'b' }] });
    const first = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    const second = await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a', 'b'], ignoreIfAlreadySyncing: true });
    await first;
    expect(sessionsOf(host.events)).toEqual([['a'], ['b']]);
    expect(second.items.map((item) => [item.itemId, item.state])).toEqual([['a', 'succeeded'], ['b', 'succeeded']]);
  });

  test('a concurrent handler runs a second session at once', async () => {
    host = await startTestHost({ concurrent: true, items: [{ id: 'a', ...endless }, { id: 'b' }] });
    const first = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    expect((await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['b'] })).status).toBe('succeeded');
    await host.api.stopHandlerSync({ handlerId: 'scripted' });
    expect((await first).status).toBe('canceled');
  });

  test('Sync All takes enabled items of enabled, active handlers and combines their results', async () => {
    host = await startTestHost({ items: [{ id: 'a' }, { id: 'b', outcome: 'fail' }, { id: 'c' }] }, {
      handlers: [scriptedHandlerRegistration({ items: [{ id: 'a' }, { id: 'b', outcome: 'fail' }, { id: 'c' }] }), scriptedHandlerRegistration({ id: 'other', items: [{ id: 'x' }] })],
    });
    await host.api.enableItem({ handlerId: 'scripted', itemId: 'c', enabled: false });
    await host.api.activateHandler({ handlerId: 'other', active: false });
    const result = await host.api.startSyncAll({});
    expect(result.items.map((item) => `${item.handlerId}/${item.itemId}:${item.state}`).sort()).toEqual(['scripted/a:succeeded', 'scripted/b:failed']);
    expect(result).toMatchObject({ status: 'failed', errors: 1, conflicts: 0 });
  });
});

describe('stop', () => {
  test('cancel item stops one item at its next report while the others go on', async () => {
    host = await startTestHost({ items: [{ id: 'a', ...endless }, { id: 'b', steps: 5 }] }, { stopGraceMs: 60_000 });
    const running = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a', 'b'] });
    await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'a' && event.state === 'updating');
    await host.api.stopItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    const result = await running;
    expect(result.items.map((item) => [item.itemId, item.state])).toEqual([['a', 'canceled'], ['b', 'succeeded']]);
    // The handler itself reported the cancel (it read it from shared memory), so the host had nothing to force.
    expect(await host.api.listEvents({ level: 'error' })).toEqual([]);
  });

  test('cancel all stops the whole session and queued items end canceled at once', async () => {
    host = await startTestHost({ items: [{ id: 'a', ...endless }, { id: 'b', steps: 5 }, { id: 'c' }] }, { stopGraceMs: 60_000 });
    const running = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a', 'b'] });
    await host.waitFor(started('a'));
    const queued = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['c'] });
    await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'c' && event.state === 'queued');
    await host.api.stopHandlerSync({ handlerId: 'scripted' });
    expect((await queued).items).toEqual([{ handlerId: 'scripted', itemId: 'c', state: 'canceled', errors: 0, conflicts: 0 }]);
    const result = await running;
    expect(result.status).toBe('canceled');
    expect(result.items.map((item) => item.state)).toEqual(['canceled', 'canceled']);
    expect(sessionsOf(host.events)).toEqual([['a', 'b']]);
  });

  test('a handler that ignores Stop is terminated after the grace period and its items end canceled', async () => {
    host = await startTestHost({ items: [{ id: 'a', outcome: 'hang', delayMs: 5 }] }, { stopGraceMs: 200 });
    const running = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    await host.api.stopSyncAll({});
    expect((await running).items[0]?.state).toBe('canceled');
  });
});

describe('additional and proposed items', () => {
  test('a handler takes queued items into its running session', async () => {
    host = await startTestHost({ takeAdditional: true, items: [{ id: 'a', steps: 20, delayMs: 5 }, { id: 'b' }] });
    const first = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor(started('a'));
    const second = await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['b'] });
    await first;
    expect(second.status).toBe('succeeded');
    expect(sessionsOf(host.events)).toEqual([['a']]);
    expect(host.events.filter((event) => event.type === 'itemStarted').map((event) => (event.type === 'itemStarted' ? event.itemId : ''))).toEqual(['a', 'b']);
  });

  test('a proposed and committed item is tracked and listed', async () => {
    host = await startTestHost({ items: [{ id: 'a', discovers: 'found' }] });
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    const [handler] = await host.api.listHandlers({});
    expect(handler?.items.map((item) => item.id)).toEqual(['a', 'found']);
  });
});

describe('conflicts in Sync results', () => {
  const warnings = (events: SyncEvent[]) =>
    events.flatMap((event) => (event.type === 'eventReported' && event.event.name === 'Conflicts to resolve' ? [[event.event.itemId, event.event.level, event.event.description]] : []));

  test('a sync that finds new conflicts says so once per item, naming them; meeting them again adds nothing and keeps when they were found', async () => {
    // d fails: its error is what Sync results show for it (a conflict with a failure is the decision it asks for).
    host = await startTestHost({ items: [{ id: 'a', conflicts: 1 }, { id: 'b', conflicts: 7 }, { id: 'c' }, { id: 'd', conflicts: 1, outcome: 'fail' }] });
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    expect(warnings(host.events)).toEqual([
      ['a', 'warning', 'This sync found a new conflict: “a/file-0.txt”. It waits under Sync conflicts until you choose which version to keep.'],
      [
        'b',
        'warning',
        'This sync found 7 new conflicts: “b/file-0.txt”, “b/file-1.txt”, “b/file-2.txt”, “b/file-3.txt”, “b/file-4.txt” and 2 more. They wait under Sync conflicts until you choose which versions to keep.',
      ],
    ]);
    // The stored Sync results hold the same warnings.
    expect((await host.api.listEvents({ level: 'warning' })).map((event) => event.itemId).sort()).toEqual(['a', 'b']);

    // Still unresolved: the next sync reports the same conflicts, and no new warning; each keeps when it was found.
    const found = await host.api.listConflicts({ handlerId: 'scripted' });
    host.events.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 5));
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    expect(await host.api.listConflicts({ handlerId: 'scripted' })).toEqual(found);
    expect(warnings(host.events)).toEqual([]);

    // A conflict taken off the list and found again is new again.
    const [first] = await host.api.listConflicts({ itemId: 'a' });
    await host.api.removeConflicts({ ids: [first?.id ?? ''] });
    await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    expect(warnings(host.events)).toEqual([['a', 'warning', expect.stringContaining('a new conflict: “a/file-0.txt”')]]);
  });

  test('an item a resolution synced shows how that left it; not while a session runs it', async () => {
    host = await startTestHost({ items: [{ id: 'a', conflicts: 2, resolveSyncs: true, steps: 10, delayMs: 30 }] });
    const state = async () => (await host!.api.listHandlers({}))[0]?.items[0]?.state;
    const open = () => host!.api.listConflicts({ itemId: 'a' });
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    expect(await state()).toBe('conflict');
    const [first, second] = await open();
    await host.api.resolveConflict({ conflictId: first!.id, choice: 'keepLeft' });
    expect(await state()).toBe('conflict'); // one still open
    await host.api.resolveConflict({ conflictId: second!.id, choice: 'keepRight' });
    expect(await state()).toBe('succeeded');

    // Skipping syncs nothing: the item keeps the state its last sync left.
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    for (const conflict of await open()) await host.api.resolveConflict({ conflictId: conflict.id, choice: 'skip' });
    expect(await state()).toBe('conflict');

    // A sync already running will say how it ends: a resolution meanwhile leaves its state alone.
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    host.events.length = 0;
    const running = host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    await host.waitFor((event) => event.type === 'itemProgressed' && event.itemId === 'a' && event.state === 'updating');
    const [during] = await open();
    await host.api.resolveConflict({ conflictId: during!.id, choice: 'keepLeft' });
    expect(await state()).toMatch(/^updating/);
    await running;
    expect(await state()).toBe('conflict');
  });

  test('in French', async () => {
    vi.stubEnv('SYNCCENTER_LANG', 'fr'); // the host's language; restored after each test
    host = await startTestHost({ items: [{ id: 'a', conflicts: 2 }] });
    await host.api.startHandlerSync({ handlerId: 'scripted' });
    const [warning] = await host.api.listEvents({ level: 'warning' });
    expect(warning?.name).toBe('Conflits à résoudre');
    expect(warning?.description).toBe(
      'Cette synchronisation a trouvé 2 nouveaux conflits : « a/file-0.txt », « a/file-1.txt ». Ils attendent sous Conflits de synchronisation que vous choisissiez les versions à garder.',
    );
  });
});

// The state store on a real full disk (a tmpfs; needs root, skipped with the reason otherwise).
const tmpfs = suiteFileSystem('[sessions] full-disk test', '4m');

describe.skipIf(tmpfs === undefined)('a state store that cannot be written (its disk full)', () => {
  test('the sync still ends with its result, says once that its records were not saved, and the next sync with room records them', async () => {
    const stateDir = path.join(tmpfs ?? '', 'state');
    fs.mkdirSync(stateDir);
    host = await startTestHost({ items: [{ id: 'a', steps: 3, conflicts: 2 }, { id: 'b', outcome: 'fail' }] }, {}, stateDir);
    const filler = path.join(tmpfs ?? '', 'filler');
    const { bavail, bsize } = fs.statfsSync(stateDir);
    fs.writeFileSync(filler, Buffer.alloc(bavail * bsize));

    const result = await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a', 'b'] });
    // The outcome is the handler's, not a crash or a request left hanging.
    expect(result.items.map((item) => [item.itemId, item.state, item.conflicts])).toEqual([['a', 'conflict', 2], ['b', 'failed', 0]]);
    const reported = host.events.flatMap((event) => (event.type === 'eventReported' ? [event.event] : []));
    const unsaved = reported.filter((event) => event.name === 'Sync results not saved');
    expect(unsaved).toHaveLength(1);
    expect(unsaved[0]?.description).toContain('database or disk is full');
    // The handler's own failure event is still shown.
    expect(reported.some((event) => event.itemId === 'b' && event.level === 'error' && event.name !== 'Sync results not saved')).toBe(true);

    fs.rmSync(filler);
    await host.api.startItemSync({ handlerId: 'scripted', itemIds: ['a'] });
    expect(await host.api.listConflicts({ handlerId: 'scripted' })).toHaveLength(2);
  });
});
