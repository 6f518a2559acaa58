import { describe, expect, it } from 'vitest';
import en from './en.json';
import fr from './fr.json';
import { createI18n, resolveLanguage } from './i18n.ts';

const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** Every leaf key, with plural suffixes folded: languages legitimately differ in plural forms (French has "many"). */
function keysOf(value: unknown, prefix = ''): Set<string> {
  const keys = new Set<string>();
  if (typeof value !== 'object' || value === null) return keys;
  for (const [key, child] of Object.entries(value)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof child === 'string') keys.add(path.replace(pluralSuffix, ''));
    else for (const nested of keysOf(child, path)) keys.add(nested);
  }
  return keys;
}

function leaves(value: unknown, prefix = ''): [string, string][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof child === 'string' ? [[path, child] as [string, string]] : leaves(child, path);
  });
}

describe('translations', () => {
  it('English and French have the same keys', () => {
    const english = keysOf(en);
    const french = keysOf(fr);
    expect([...english].filter((key) => !french.has(key))).toEqual([]);
    expect([...french].filter((key) => !english.has(key))).toEqual([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();
    const french = new Map(leaves(fr).map(([key, text]) => [key.replace(pluralSuffix, ''), text]));
    for (const [key, text] of leaves(en)) {
      const other = french.get(key.replace(pluralSuffix, ''));
      expect(other, key).toBeDefined();
      expect(variables(other ?? ''), key).toEqual(variables(text));
    }
  });

  it('has no empty strings', () => {
    for (const [key, text] of [...leaves(en), ...leaves(fr)]) expect(text.trim(), key).not.toBe('');
  });

  it('translates and pluralises in both languages', () => {
    const english = createI18n('en');
    const french = createI18n('fr');
    expect(english.t('nav.partnerships')).toBe('Sync partnerships');
    expect(french.t('nav.partnerships')).toBe('Partenariats de synchronisation');
    expect(english.t('partnerships.conflicts', { count: 1, formatted: '1' })).toBe('1 conflict');
    expect(english.t('partnerships.conflicts', { count: 3, formatted: '3' })).toBe('3 conflicts');
    expect(french.t('partnerships.conflicts', { count: 0, formatted: '0' })).toBe('0 conflit');
    expect(french.t('partnerships.conflicts', { count: 2, formatted: '2' })).toBe('2 conflits');
    expect(french.t('partnerships.conflicts', { count: 1_000_000, formatted: '1 000 000' })).toBe('1 000 000 conflits');
    // Properties' counts of what a side received: each word agrees with its own number.
    const received = (i18n: typeof french, counts: readonly number[]) => {
      const [created, updated, moved, deleted] = (['receivedNew', 'receivedChanged', 'receivedMoved', 'receivedDeleted'] as const).map((key, index) => i18n.t(`properties.${key}`, { count: counts[index], formatted: String(counts[index]) }));
      return i18n.t('properties.received', { created, updated, moved, deleted });
    };
    expect(received(french, [1, 2, 1, 0])).toBe('1 nouveau, 2 modifiés, 1 déplacé, 0 supprimé');
    expect(received(french, [0, 0, 3, 1])).toBe('0 nouveau, 0 modifié, 3 déplacés, 1 supprimé');
    expect(received(english, [1, 2, 1, 0])).toBe('1 new, 2 changed, 1 moved, 0 deleted');
  });
});

describe('resolveLanguage', () => {
  it('follows the first shipped language the browser prefers', () => {
    expect(resolveLanguage('system', ['de-DE', 'fr-CA', 'en-US'])).toBe('fr');
    expect(resolveLanguage('system', ['en-GB'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(resolveLanguage('system', ['de-DE'])).toBe('en');
    expect(resolveLanguage('system', [])).toBe('en');
  });

  it('lets an explicit choice win over the browser', () => {
    expect(resolveLanguage('fr', ['en-US'])).toBe('fr');
  });
});
