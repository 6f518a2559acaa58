#!/usr/bin/env node
// The `synccenter` command: Node 24 runs the TypeScript sources directly. A Node that cannot (an older one, or type
// stripping turned off) is told so in the user's language, with the way to run it, instead of failing on `.ts`.
if (process.features.typescript) {
  await import('../app/cli/main.ts');
} else {
  const { default: i18next } = await import('i18next');
  const { default: en } = await import('../app/cli/locales/en.json', { with: { type: 'json' } });
  const { default: fr } = await import('../app/cli/locales/fr.json', { with: { type: 'json' } });
  // The language as the CLI picks it (`hostLocale` in app/runtime/hostText.ts, which this Node cannot load).
  const { SYNCCENTER_LANG, LC_ALL, LC_MESSAGES, LANG } = process.env;
  const locale = [SYNCCENTER_LANG, LC_ALL, LC_MESSAGES, LANG].find((value) => value !== undefined && value !== '') ?? '';
  const t = i18next.createInstance();
  await t.init({ resources: { en: { cli: en }, fr: { cli: fr } }, lng: locale.toLowerCase().startsWith('fr') ? 'fr' : 'en', fallbackLng: 'en', defaultNS: 'cli', interpolation: { escapeValue: false } });
  process.stderr.write(`${t.t('program.failed', { message: t.t('program.nodeWithoutTypeScript', { version: process.version }) })}\n`);
  process.exitCode = 2;
}
