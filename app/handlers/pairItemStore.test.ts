/**
 * The pair item store refuses a damaged item list and an unknown id with a stable code and a message in the host's
 * language that names the file or the id.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { PairItemStore } from './pairItemStore.ts';

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
