import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['app/**/*.test.ts', 'main/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts'],
    pool: 'forks',
    // User-visible text follows the host's language (SYNCCENTER_LANG, else LC_ALL, LC_MESSAGES, LANG): tests read English unless one
    // says otherwise (vi.stubEnv), whatever the machine's locale.
    env: { SYNCCENTER_LANG: 'en' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
