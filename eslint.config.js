// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

/**
 * Runtime layering (see README "Layout"): each entry names a folder and the imports it must never make.
 * The message says why, so a failing lint run teaches the rule.
 */
const boundaries = [
  {
    files: ['electron/shared/**/*.ts'],
    patterns: [
      {
        group: ['node:*', 'electron', 'electron/*'],
        message: 'electron/shared is pure TypeScript: no Node, no Electron.',
      },
      {
        group: ['**/core/**', '**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'electron/shared imports nothing from other layers.',
      },
    ],
  },
  {
    files: ['electron/core/**/*.ts'],
    patterns: [
      {
        group: ['electron', 'electron/*'],
        message: 'electron/core is plain Node and never imports Electron.',
      },
      {
        group: ['**/main/**', '**/preload/**', '**/renderer/**'],
        message: 'electron/core may import only electron/shared.',
      },
    ],
  },
  {
    files: ['electron/preload/**/*.ts'],
    patterns: [
      {
        group: ['**/core/**', '**/main/**', '**/renderer/**'],
        message: 'The preload may import only electron/shared.',
      },
    ],
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    patterns: [
      // A regex, not a gitignore group: 'electron/*' would also match the relative path ../../electron/shared.
      {
        regex: '^(node:|electron(/|$))',
        message: 'The renderer runs sandboxed: no Node, no Electron.',
      },
      {
        group: ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**'],
        message: 'The renderer may import only electron/shared.',
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.device/',
      'out/',
      'dist/',
      'release/',
      'models/fixtures/out/',
      'bench/work/',
      'bench/results/',
      'e2e/artifacts/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte', 'renderer/**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  ...boundaries.map(({ files, patterns }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    // Only main/ and preload/ may touch raw IPC; everything else goes through the typed contract.
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.svelte'],
    ignores: ['electron/main/**', 'electron/preload/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Identifier[name='ipcRenderer']",
          message: 'Raw ipcRenderer only in electron/preload.',
        },
        { selector: "Identifier[name='ipcMain']", message: 'Raw ipcMain only in electron/main.' },
      ],
    },
  },
);
