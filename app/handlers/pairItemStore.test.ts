/**
 * The pair item store refuses a damaged item list and an unknown id with a stable code and a message in the host's
 * language that names the file or the id.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { describePairItem, PairItemStore } from './pairItemStore.ts';

let dataDir = '';
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'synccenter-pairs-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

test.each([
  ['en', 'There is no sync item "ghost" (it may have been deleted); list the items again.', /^The item list .+items\.json is damaged \(.+\); restore it from a backup or remove it to start over\.$/],
  ['fr', 'Il n’y a pas d’élément de synchronisation « ghost » (il a peut-être été supprimé) ; affichez de nouveau la liste des éléments.', /^La liste d’éléments .+items\.json est endommagée \(.+\) ; restaurez-la depuis une sauvegarde ou supprimez-la pour repartir de zéro\.$/],
])('in %s, an unknown id is NOT_FOUND and a damaged list is STATE_CORRUPT', (language, missing, damaged) => {
  vi.stubEnv('SYNCCENTER_LANG', language);
  const store = new PairItemStore(dataDir);
  expect(() => store.get('ghost')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: missing }));
  writeFileSync(path.join(dataDir, 'items.json'), '{"version": 1, "items": [{"id": ""}]');
  expect(() => store.list()).toThrow(expect.objectContaining({ code: 'STATE_CORRUPT', message: expect.stringMatching(damaged) }));
});

test('an item list saved before moves were counted apart reads back with 0 moved, and Properties gets it so', () => {
  const counts = { created: 1, updated: 2, deleted: 3, conflicts: 0, failed: 0 };
  const lastSession = { startedTime: 1, finishedTime: 2, outcome: 'succeeded', toLeft: counts, toRight: null, conflicts: 0, message: null };
  writeFileSync(path.join(dataDir, 'items.json'), JSON.stringify({ version: 1, items: [{ id: 'folders-1', name: 'a ↔ b', left: '/a', right: '/b', conflictPolicy: 'ask', exclude: [], createdTime: 1, lastSession }] }));
  const item = new PairItemStore(dataDir).get('folders-1');
  expect(describePairItem(item).lastSession?.toLeft).toEqual({ ...counts, moved: 0 });
});
