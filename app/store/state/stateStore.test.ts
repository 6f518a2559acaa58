import { mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, expect, test, vi } from 'vitest';
import { createSyncCenter } from '../../control/syncCenter.ts';
import { suiteFileSystem } from '../../handlers/folders/testFolders.ts';
import { startTestHost, tempDir, type TestHost } from '../../sessions/hostTestKit.ts';
import { schemaFiles } from './stateDatabase.ts';

let host: TestHost | undefined;
const dirs: string[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  await host?.dispose();
  host = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const script = { items: [{ id: 'a', outcome: 'fail' as const }, { id: 'b', conflicts: 2 }] };

test('events, conflicts, settings and last results survive a restart', async () => {
  const stateDir = tempDir();
  const first = await startTestHost(script, {}, stateDir);
  await first.api.startHandlerSync({ handlerId: 'scripted' });
  await first.api.enableItem({ handlerId: 'scripted', itemId: 'a', enabled: false });
  await first.close();
  host = await startTestHost(script, {}, stateDir);
  const [handler] = await host.api.listHandlers({});
  expect(handler?.items.map((item) => [item.id, item.enabled, item.state, item.errorCount, item.conflictCount])).toEqual([
    ['a', false, 'failed', 1, 0],
    ['b', true, 'conflict', 0, 2],
  ]);
  expect(handler?.items.every((item) => item.lastSyncTime !== null)).toBe(true);
  expect((await host.api.listEvents({ level: 'error' })).map((event) => event.name)).toEqual(['Scripted failure']);
  expect(await host.api.listConflicts({ itemId: 'b' })).toHaveLength(2);
});

test('a conflict met again by the next sync updates the open one instead of adding a duplicate', async () => {
  host = await startTestHost(script);
  await host.api.startHandlerSync({ handlerId: 'scripted' });
  const first = await host.api.listConflicts({ itemId: 'b' });
  await host.api.startHandlerSync({ handlerId: 'scripted' });
  const second = await host.api.listConflicts({ itemId: 'b' });
  expect(second.map((conflict) => conflict.id)).toEqual(first.map((conflict) => conflict.id));
  expect(second).toHaveLength(2);
});

test('resolving goes back to the handler, applies to all of a kind, and is reflected at once', async () => {
  host = await startTestHost(script);
  await host.api.startHandlerSync({ handlerId: 'scripted' });
  const [conflict] = await host.api.listConflicts({});
  const { resolved } = await host.api.resolveConflict({ conflictId: conflict!.id, choice: 'keepNewer', applyToAllOfKind: true });
  expect(resolved).toHaveLength(2);
  expect(await host.api.listConflicts({})).toEqual([]);
  expect(host.events.some((event) => event.type === 'conflictsResolved')).toBe(true);
  const seen = JSON.parse(readFileSync(path.join(host.stateDir, 'handlers', 'scripted', 'resolutions.json'), 'utf8')) as { choice: string }[];
  expect(seen.map((entry) => entry.choice)).toEqual(['keepNewer', 'keepNewer']);
  await expect(host.api.resolveConflict({ conflictId: conflict!.id, choice: 'skip' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
});

test('events are bounded by the retention setting; removing events and conflicts', async () => {
  host = await startTestHost({ items: ['a', 'b', 'c', 'd'].map((id) => ({ id, outcome: 'fail' as const })) }, { eventRetention: 3 });
  await host.api.startHandlerSync({ handlerId: 'scripted' });
  const events = await host.api.listEvents({});
  expect(events).toHaveLength(3);
  expect((await host.api.removeEvents({ ids: [events[0]!.id] })).removed).toBe(1);
  expect((await host.api.removeEvents({})).removed).toBe(2);
  expect(await host.api.listEvents({})).toEqual([]);
});

test('a foreign database is refused with a clear error, and so is a corrupt one', async () => {
  const foreign = tempDir();
  dirs.push(foreign);
  const db = new DatabaseSync(path.join(foreign, 'state.db'));
  db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY) STRICT');
  db.close();
  await expect(createSyncCenter({ stateDir: foreign, version: 't' })).rejects.toMatchObject({ code: 'STATE_FOREIGN' });
  const corrupt = tempDir();
  dirs.push(corrupt);
  writeFileSync(path.join(corrupt, 'state.db'), Buffer.alloc(8192, 7));
  await expect(createSyncCenter({ stateDir: corrupt, version: 't' })).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
});

test('in French, a foreign or corrupt database is refused in French, naming the file and keeping the reason SQLite gives', async () => {
  vi.stubEnv('SYNCCENTER_LANG', 'fr');
  const foreign = tempDir();
  dirs.push(foreign);
  const db = new DatabaseSync(path.join(foreign, 'state.db'));
  db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY) STRICT');
  db.close();
  await expect(createSyncCenter({ stateDir: foreign, version: 't' })).rejects.toMatchObject({
    code: 'STATE_FOREIGN',
    message: `${path.join(foreign, 'state.db')} n’est pas une base de données d’état de Sync Center. Choisissez un autre dossier de données ou déplacez ce fichier ailleurs.`,
  });
  const corrupt = tempDir();
  dirs.push(corrupt);
  writeFileSync(path.join(corrupt, 'state.db'), Buffer.alloc(8192, 7));
  await expect(createSyncCenter({ stateDir: corrupt, version: 't' })).rejects.toMatchObject({
    code: 'STATE_CORRUPT',
    message: expect.stringMatching(/^La base de données d’état .+ est illisible \(file is not a database\)\. Déplacez-la ailleurs pour repartir de zéro\.$/),
  });
});

test('schema files are numbered, and every table is STRICT and opens with a comment', () => {
  const files = schemaFiles();
  expect(files.map((file) => file.version)).toEqual(files.map((_, index) => index + 1));
  for (const { file } of files) {
    const sql = readFileSync(file, 'utf8');
    for (const match of sql.matchAll(/(--[^\n]*\n)?CREATE TABLE (\w+) \(([\s\S]*?)\n\) STRICT;/g)) expect(match[1], match[2]).toBeDefined();
    expect(sql.match(/CREATE TABLE/g)?.length).toBe(sql.match(/\) STRICT;/g)?.length);
  }
});

// A real full disk (a tmpfs; needs root, skipped with the reason otherwise).
const tmpfs = suiteFileSystem('[state] full-disk test', '1m');

test.skipIf(tmpfs === undefined)('a state directory on a full disk is NO_SPACE naming the database, not "damaged, move it aside"', async () => {
  const stateDir = path.join(tmpfs ?? '', 'state');
  mkdirSync(stateDir);
  const { bavail, bsize } = statfsSync(stateDir);
  writeFileSync(path.join(tmpfs ?? '', 'filler'), Buffer.alloc(bavail * bsize));
  const opening = createSyncCenter({ stateDir, version: 't' });
  await expect(opening).rejects.toMatchObject({ code: 'NO_SPACE', message: `No space left to write the state database ${path.join(stateDir, 'state.db')}. Free some space on that drive and start Sync Center again.` });
  rmSync(path.join(tmpfs ?? '', 'filler'));
  const center = await createSyncCenter({ stateDir, version: 't' });
  await center.close();
});
