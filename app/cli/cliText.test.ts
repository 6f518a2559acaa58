/**
 * The CLI in French (`SYNCCENTER_LANG=fr`, or a French `LANG`): listings, sync results and the errors it makes
 * itself, with French typography; data values, error codes and `--json` documents stay as they are.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { cliJson } from '../control/contract.ts';
import { tempDir } from '../sessions/hostTestKit.ts';
import { cliLanguage, cliText, formatTime } from './cliText.ts';
import { formatDetails, formatResult } from './output.ts';
import { runCli } from './runCli.ts';

const nbsp = '\u00a0';
const dirs: string[] = [];

beforeEach(() => {
  vi.stubEnv('SYNCCENTER_LANG', 'fr');
  vi.stubEnv('SYNCCENTER_FIXTURES', 'scripted');
});
afterEach(() => {
  vi.unstubAllEnvs();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `synccenter --data-dir <dataDir> ...args` in this process; resolves with the exit code and what it printed. */
async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (text: string) => void (out += `${text}\n`), err: (text: string) => void (err += `${text}\n`), isTty: false };
  const code = await runCli(['--data-dir', dataDir, ...args], process.env, io);
  return { code, out, err };
}

function fresh(): string {
  const dir = tempDir('synccenter-cli-fr-');
  dirs.push(dir);
  return dir;
}

describe('the language', () => {
  test('comes from SYNCCENTER_LANG, else LC_ALL, LC_MESSAGES, LANG (the first set, empty counts as unset), else English', () => {
    expect(cliLanguage({ SYNCCENTER_LANG: 'fr', LANG: 'en_US.UTF-8' })).toBe('fr');
    expect(cliLanguage({ SYNCCENTER_LANG: 'en', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(cliLanguage({ LANG: 'fr_CA.UTF-8' })).toBe('fr');
    expect(cliLanguage({ SYNCCENTER_LANG: '', LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(cliLanguage({ LC_ALL: 'fr_FR.UTF-8', LANG: 'C.UTF-8' })).toBe('fr');
    expect(cliLanguage({ LC_ALL: '', LC_MESSAGES: 'fr_BE.UTF-8', LANG: 'en_GB.UTF-8' })).toBe('fr');
    expect(cliLanguage({ LC_MESSAGES: 'C', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(cliLanguage({})).toBe('en');
  });
});

describe('in French', () => {
  test('list: a disabled item and items never synced', async () => {
    const dir = fresh();
    expect(await cli(dir, 'disable', 'beta')).toMatchObject({ code: 0, out: 'beta désactivé.\n' });
    const { code, out } = await cli(dir, 'list');
    expect(code).toBe(0);
    expect(out).toContain(`  alpha  Alpha  [idle]  dernière synchronisation${nbsp}: jamais  erreurs${nbsp}: 0  conflits${nbsp}: 0`);
    expect(out).toMatch(/ {2}beta {2}.+ \[idle\] \(désactivé\) {2}dernière synchronisation\u00a0: jamais/);
  });

  test('sync: per-item lines and the summary; the states stay the host’s values', async () => {
    const dir = fresh();
    const { code, out } = await cli(dir, 'sync', '--item', 'alpha');
    expect(code).toBe(0);
    expect(out).toContain(`scripted/alpha  succeeded  erreurs${nbsp}: 0  conflits${nbsp}: 0\n`);
    expect(out).toContain(`succeeded${nbsp}: 1 élément, 0 erreur, 0 conflit`);
  });

  test('help: its headings, our descriptions and the help option itself', async () => {
    const dir = fresh();
    const top = await cli(dir, '--help');
    expect(top.code).toBe(0);
    for (const text of [`Utilisation${nbsp}: synccenter`, `Options${nbsp}:`, `Commandes${nbsp}:`, 'afficher l’aide de la commande', 'afficher l’aide d’une commande']) expect(top.out).toContain(text);
    expect(top.out).not.toMatch(/Usage:|Options:|Commands:|display help/);
    const sync = await cli(dir, 'sync', '--help');
    expect(sync.out).toContain(`Utilisation${nbsp}: synccenter sync`);
    expect(sync.out).toContain('afficher l’aide de la commande');
  });

  test('errors it makes itself: usage and unknown items, with the same codes and exit codes', async () => {
    const dir = fresh();
    expect(await cli(dir, 'resolve', 'x', '--keep', 'sideways')).toMatchObject({ code: 2, err: `synccenter${nbsp}: Indiquez soit --keep left|right|both|newer, soit --skip.\n` });
    expect(await cli(dir, 'show', 'nothing-here')).toMatchObject({ code: 2, err: `synccenter${nbsp}: Aucun élément «${nbsp}nothing-here${nbsp}»${nbsp}; \`synccenter list\` les affiche tous.\n` });
    expect((await cli(dir, 'schedule', 'add', 'scripted')).err).toContain('Indiquez une seule option parmi --every');
    const missing = await cli(dir, '--json', 'remove', 'nothing-here');
    expect(cliJson.error.parse(JSON.parse(missing.out)).error).toEqual({ code: 'NOT_FOUND', message: `Aucun élément «${nbsp}nothing-here${nbsp}»${nbsp}; \`synccenter list\` les affiche tous.` });
  });

  test('--json documents are the same in every language', async () => {
    const dir = fresh();
    const handlers = cliJson.list.parse(JSON.parse((await cli(dir, '--json', 'list')).out));
    expect(handlers.find((handler) => handler.id === 'scripted')?.items.map((item) => [item.id, item.state, item.lastSyncTime])).toEqual([
      ['alpha', 'idle', null],
      ['beta', 'idle', null],
    ]);
  });

  test('schedule list: a disabled schedule, its trigger and conditions', async () => {
    const dir = fresh();
    const id = (await cli(dir, 'schedule', 'add', 'scripted/alpha', '--every', '15', '--ac-only', '--min-interval', '30', '--disabled')).out.trim();
    const { out } = await cli(dir, 'schedule', 'list');
    expect(out).toContain(`${id}  Toutes les 15 minutes (désactivée)  scripted/alpha  Toutes les 15 minutes [seulement sur secteur, au plus toutes les 30${nbsp}min]  prochaine exécution `);
    expect(out).toContain('dernière exécution —');
  });

  test.each([
    ['en', '1 created, 1 updated, 1 moved, 1 deleted, 1 not written, 1 conflict', '2 created, 2 updated, 2 moved, 2 deleted, 2 not written, 2 conflicts', 'failed: 1 item, 1 error, 1 conflict', 'succeeded: 2 items, 0 errors, 0 conflicts'],
    ['fr', '1 nouveau, 1 modifié, 1 déplacé, 1 supprimé, 1 non écrit, 1 conflit', '2 nouveaux, 2 modifiés, 2 déplacés, 2 supprimés, 2 non écrits, 2 conflits', `failed${nbsp}: 1 élément, 1 erreur, 1 conflit`, `succeeded${nbsp}: 2 éléments, 0 erreur, 0 conflit`],
  ] as const)('show and sync count in words that agree with the number (%s)', (language, one, two, failed, succeeded) => {
    const count = (n: number) => ({ created: n, updated: n, moved: n, deleted: n, failed: n, conflicts: n });
    const lastSession = { startedTime: 0, finishedTime: 1000, outcome: 'succeeded' as const, toLeft: count(1), toRight: count(2), conflicts: 3, message: null };
    const shown = formatDetails({ handlerId: 'folders', itemId: 'pair', browsable: true, locations: [], conflictPolicy: null, exclude: [], lastSession }, { name: 'pair', conflictCount: 0 }, language);
    expect(shown).toContain(`  ${one}\n`);
    expect(shown).toContain(`  ${two}\n`);
    const item = (n: number) => ({ handlerId: 'folders', itemId: `i${n}`, state: 'succeeded' as const, errors: 0, conflicts: 0 });
    expect(formatResult({ status: 'failed', errors: 1, conflicts: 1, items: [item(1)] }, [], language).split('\n').at(-1)).toBe(failed);
    expect(formatResult({ status: 'succeeded', errors: 0, conflicts: 0, items: [item(1), item(2)] }, [], language).split('\n').at(-1)).toBe(succeeded);
  });

  test('times read as the user\'s: local, in their language, with seconds', () => {
    vi.stubEnv('TZ', 'America/New_York'); // UTC-5 in January; restored after each test, with the others
    const moment = Date.UTC(2025, 0, 2, 3, 4, 5);
    expect(formatTime(moment, 'en').replace(/\s/g, ' ')).toBe('Jan 1, 2025, 10:04:05 PM');
    expect(formatTime(moment, 'fr')).toBe('1 janv. 2025, 22:04:05');
  });

  test.each([
    ['en', 'Resolved 1 conflict.', 'Resolved 2 conflicts.'],
    ['fr', '1 conflit résolu.', '2 conflits résolus.'],
  ] as const)('resolve says how many conflicts it resolved in words that agree with the number (%s)', (language, one, two) => {
    const t = cliText(language);
    expect(t('done.resolved', { count: 1 })).toBe(one);
    expect(t('done.resolved', { count: 2 })).toBe(two);
  });

  test('show: labels, a decimal comma, the local time in French, the conflicts open now and the counts of each direction', () => {
    const started = Date.UTC(2025, 0, 2, 3, 4, 5);
    vi.stubEnv('TZ', 'Europe/Paris'); // UTC+1 in January; restored after each test, with the others
    const text = formatDetails(
      {
        handlerId: 'folders',
        itemId: 'pair',
        browsable: true,
        locations: [{ side: 'left', path: '/laptop' }, { side: null, path: '/usb' }],
        conflictPolicy: null,
        exclude: [],
        lastSession: {
          startedTime: started,
          finishedTime: started + 1500,
          outcome: 'failed',
          toLeft: null,
          toRight: { created: 1, updated: 2, moved: 6, deleted: 3, failed: 4, conflicts: 5 },
          conflicts: 5,
          message: 'Disque plein.',
        },
      },
      { name: 'laptop ↔ usb', conflictCount: 2 },
      'fr',
    );
    expect(text.split('\n')).toEqual([
      'folders/pair  laptop ↔ usb',
      '  left  /laptop',
      '  emplacement  /usb',
      '  conflits ouverts  2',
      `  dernière session  failed, lancée le 2 janv. 2025, 04:04:05, durée 1,5${nbsp}s`,
      '    vers la droite  1 nouveau, 2 modifiés, 6 déplacés, 3 supprimés, 4 non écrits, 5 conflits',
      '    conflits qu’elle a laissés ouverts  5',
      '    motif  Disque plein.',
    ]);
  });
});
