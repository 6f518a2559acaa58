import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/i18n.ts';
import { followHostLanguage } from './hostLanguage.ts';

describe('followHostLanguage', () => {
  it('tells the host the window\'s language at start, at each change and after a reconnect, until stopped', async () => {
    const i18n = createI18n('en');
    const told: string[] = [];
    let resync: (() => void) | undefined;
    const api = {
      setHostLanguage: async ({ language }: { language: 'en' | 'fr' }) => {
        told.push(language);
        return {};
      },
    };
    const stop = followHostLanguage(i18n, api, {
      onResync: (listener) => {
        resync = listener;
        return () => (resync = undefined);
      },
    });
    expect(told).toEqual(['en']);
    await i18n.changeLanguage('fr');
    expect(told).toEqual(['en', 'fr']);
    resync?.();
    expect(told).toEqual(['en', 'fr', 'fr']);
    stop();
    await i18n.changeLanguage('en');
    expect([told, resync]).toEqual([['en', 'fr', 'fr'], undefined]);
  });

  it('keeps going when the host refuses (an older host without the call): the window is unaffected', async () => {
    const i18n = createI18n('fr');
    let calls = 0;
    const api = {
      setHostLanguage: async () => {
        calls += 1;
        throw new Error('UNKNOWN_CALL');
      },
    };
    followHostLanguage(i18n, api, { onResync: () => () => undefined });
    await i18n.changeLanguage('en');
    await new Promise((resolve) => setTimeout(resolve, 0)); // a rejection left unhandled would fail the run here
    expect([calls, i18n.language]).toEqual([2, 'en']);
  });
});
