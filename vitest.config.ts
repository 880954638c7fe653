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
    // Native builds the tests use (llama-server, the merge tools, the decode-loop CPU binding):
    // built here when missing, cached outside the clone.
    globalSetup: ['native/native-builds-global-setup.ts'],
    // llama.cpp and SQLite are native: separate processes keep a crash in one file from hiding the others.
    pool: 'forks',
    // Two cores here: more workers only fight over them.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
