import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/chromium';

/**
 * End-to-end suites. `browser`: the web UI in Debian's Chromium against a real `ponder serve` with
 * the generated test models (never a downloaded browser). `electron`: the desktop app through
 * Playwright's Electron driver, where Electron's binary exists.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  // Each spec starts its own server with llama.cpp on one thread; the machine has few cores.
  workers: 1,
  fullyParallel: false,
  timeout: 420_000,
  expect: { timeout: 60_000 },
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
  projects: [
    {
      name: 'browser',
      testMatch: 'browser/**/*.spec.ts',
      use: {
        browserName: 'chromium',
        viewport: { width: 1200, height: 800 },
        launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
        trace: 'retain-on-failure',
      },
    },
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
