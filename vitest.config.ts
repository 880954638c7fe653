import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'models/**/*.test.ts',
      'renderer/**/*.test.ts',
      'scripts/**/*.test.ts',
      'native/**/*.test.ts',
      'bench/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'bench/work/**', 'native/build/**', 'out/**'],
    // The remote-engine tests serve the fixture model with llama-server: built here when missing.
    globalSetup: ['native/llama-server-global-setup.ts'],
    // llama.cpp and SQLite are native: separate processes keep a crash in one file from hiding the others.
    pool: 'forks',
    // Two cores here: more workers only fight over them.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
