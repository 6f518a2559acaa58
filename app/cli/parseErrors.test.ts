/**
 * Commander's own parse errors, as `synccenter` prints them: unchanged in English, in French under a French
 * environment, for every shape commander has (the wording is pinned here, so a newer commander that words them
 * otherwise fails this test rather than printing English to French users unnoticed).
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { tempDir } from '../sessions/hostTestKit.ts';
import { cliText } from './cliText.ts';
import { translateParseError } from './parseErrors.ts';
import { runCli } from './runCli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in `language`; resolves with the exit code and what it wrote to stderr. */
async function cli(language: 'en' | 'fr', ...args: string[]): Promise<{ code: number; err: string }> {
  const dir = tempDir('synccenter-parse-');
  dirs.push(dir);
  let err = '';
  const io = { out: () => undefined, err: (text: string) => void (err += `${text}\n`), isTty: false };
  const code = await runCli(['--data-dir', dir, ...args], { SYNCCENTER_LANG: language, SYNCCENTER_FIXTURES: 'scripted' }, io);
  return { code, err };
}

describe('commander\'s parse errors', () => {
  const cases: readonly { readonly args: readonly string[]; readonly en: string; readonly fr: string }[] = [
    { args: ['lisst'], en: "error: unknown command 'lisst'\n(Did you mean list?)", fr: 'erreur : commande inconnue « lisst »\n(Vouliez-vous dire list ?)' },
    { args: ['list', '--jsno'], en: "error: unknown option '--jsno'\n(Did you mean --json?)", fr: 'erreur : option inconnue « --jsno »\n(Vouliez-vous dire --json ?)' },
    { args: ['list', '--zzzzzz'], en: "error: unknown option '--zzzzzz'", fr: 'erreur : option inconnue « --zzzzzz »' },
    { args: ['show'], en: "error: missing required argument 'item-id'", fr: 'erreur : argument obligatoire « item-id » manquant' },
    { args: ['list', 'extra'], en: "error: too many arguments for 'list'. Expected 0 arguments but got 1: extra.", fr: 'erreur : trop d’arguments pour « list » (extra) ; attendu : 0 argument, donnés : 1.' },
    { args: ['show', 'a', 'b'], en: "error: too many arguments for 'show'. Expected 1 argument but got 2: a, b.", fr: 'erreur : trop d’arguments pour « show » (a, b) ; attendu : 1 argument, donnés : 2.' },
    {
      args: ['events', '--limit', 'x'],
      en: "error: option '--limit <n>' argument 'x' is invalid. expected a whole number from 1 to 10000.",
      fr: 'erreur : la valeur « x » de l’option « --limit <n> » n’est pas valide. nombre entier attendu, de 1 à 10000.',
    },
    { args: ['--data-dir'], en: "error: option '--data-dir <dir>' argument missing", fr: 'erreur : l’option « --data-dir <dir> » attend une valeur' },
  ];
  for (const { args, en, fr } of cases) {
    test(`synccenter ${args.join(' ')}`, async () => {
      const english = await cli('en', ...args);
      const french = await cli('fr', ...args);
      expect([english.code, english.err.trimEnd()]).toEqual([2, en]);
      expect([french.code, french.err.trimEnd()]).toEqual([2, fr]);
    });
  }

  test('the shapes no command here produces, and a message of no known shape, which stays as it is', () => {
    const t = cliText('fr');
    expect(translateParseError("error: required option '--to <dir>' not specified\n", t)).toBe('erreur : l’option obligatoire « --to <dir> » n’est pas indiquée\n');
    expect(translateParseError("error: option '--a' cannot be used with option '--b'\n", t)).toBe("erreur : option '--a' ne peut pas être utilisé avec option '--b'\n");
    expect(translateParseError("error: option '--limit <n>' argument 'x' is invalid. Use a whole number.\n", t)).toBe('erreur : la valeur « x » de l’option « --limit <n> » n’est pas valide. Use a whole number.\n');
    expect(translateParseError("error: command-argument value 'q' is invalid for argument 'when'. Nope.\n", t)).toBe('erreur : la valeur « q » de l’argument « when » n’est pas valide. Nope.\n');
    expect(translateParseError("error: unknown command 'x'\n(Did you mean one of a, b?)\n", t)).toBe('erreur : commande inconnue « x »\n(Vouliez-vous dire l’un de ceux-ci : a, b ?)\n');
    expect(translateParseError('error: something new\n', t)).toBe('error: something new\n');
  });
});
