/**
 * Every message catalog outside the window (the handlers', the scheduler's, the host's own, the CLI's, the desktop
 * shell's) exists in English and French with the same keys (plural forms aside) and the same interpolation variables,
 * and no empty text.
 * The window's catalogs have their own test (renderer/i18n/i18n.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const catalogs = ['app/handlers/locales', 'app/schedules/locales', 'app/runtime/locales', 'app/cli/locales', 'main/locales'];

type Messages = Record<string, string>;

function flatten(value: unknown, prefix = ''): Messages {
  if (typeof value === 'string') return { [prefix]: value };
  if (typeof value !== 'object' || value === null) throw new Error(`${prefix}: neither a text nor a group`);
  return Object.assign({}, ...Object.entries(value).map(([key, inner]) => flatten(inner, prefix === '' ? key : `${prefix}.${key}`))) as Messages;
}

const variables = (text: string): string[] => [...text.matchAll(/{{\s*(\w+)/g)].map((match) => match[1] ?? '').sort();
const pluralSuffix = /_(zero|one|two|few|many|other)$/;
/**
 * A catalog's texts by key, plural suffixes folded (languages differ in plural forms: French has "many", English
 * needs none where its word does not change); a plural key stands for its `other` form, which names every variable.
 */
const load = (folder: string, language: string): Messages => {
  const folded: Messages = {};
  for (const [key, text] of Object.entries(flatten(JSON.parse(readFileSync(path.join(repo, folder, `${language}.json`), 'utf8'))))) {
    const base = key.replace(pluralSuffix, '');
    if (folded[base] === undefined || key.endsWith('_other')) folded[base] = text;
  }
  return folded;
};
/** Values of folder errors that are English phrases from the file-system layer ("while reading", the detail). */
const diagnosticOnly = ['action', 'detail', 'reason', 'holder', 'other', 'side'];

describe.each(catalogs)('%s', (folder) => {
  const english = load(folder, 'en');
  const french = load(folder, 'fr');

  it('has the same keys in English and French', () => {
    expect(Object.keys(french).sort()).toEqual(Object.keys(english).sort());
  });

  it('uses the same interpolation variables in both languages, and no empty text', () => {
    for (const [key, text] of Object.entries(english)) {
      // A translation may leave out the English-only diagnostic details of a folder error, nothing else.
      const optional = key.startsWith('folderError.') ? diagnosticOnly : [];
      expect(variables(french[key] ?? ''), key).toEqual(variables(text).filter((name) => !optional.includes(name) || variables(french[key] ?? '').includes(name)));
      expect(text.trim(), key).not.toBe('');
      expect((french[key] ?? '').trim(), key).not.toBe('');
    }
  });
});
