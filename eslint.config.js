// Lint: typescript-eslint's recommended rules plus the import boundaries of DESIGN.md §2.
// The per-side tsconfigs make most wrong edges compile errors; these rules catch the rest.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'crypto'];

/** `no-restricted-imports` for TypeScript, allowing type-only imports where `allowTypeImports` is set. */
function restrict(patterns) {
  return ['error', { patterns }];
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        { group: ['electron', 'electron/*'], message: 'The core never imports electron (DESIGN.md §2).' },
        { group: ['react', 'react-dom', 'zustand', 'react-i18next'], message: 'UI libraries belong in renderer/.' },
        { group: ['**/main/*', '**/preload/*', '**/renderer/*'], message: 'Imports flow one way: app/ ← main/, preload/, renderer/.' },
      ]),
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        { group: ['**/app/*', '!**/app/control', '**/app/*/**', '!**/app/control/*'], message: 'The preload sees the contract (app/control) only.' },
        { group: ['**/renderer/*'], message: 'The preload does not import the renderer.' },
      ]),
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict([
        { group: ['**/renderer/*', 'react', 'react-dom', 'zustand'], message: 'The main process does not import the renderer.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': restrict([
        { group: ['electron', 'electron/*', ...nodeBuiltins], message: 'The renderer has no Node or Electron; use the api module.' },
        { group: ['**/app/*', '**/app/**'], allowTypeImports: true, message: 'The renderer imports contract types only (import type).' },
        { group: ['**/main/*', '**/preload/*'], message: 'The renderer talks to main through window.syncCenter only.' },
      ]),
    },
  },
  {
    files: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
);
