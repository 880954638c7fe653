import { expect, test } from '@playwright/test';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

let server: PonderServe;

test.beforeAll(async () => {
  // The test model with its two adapters, on the CPU.
  server = await startPonderServe();
});

test.afterAll(async () => {
  await server?.stop();
});

test('Settings → Fast modes says how the loaded modes run', async ({ page, request }) => {
  // What the model says about its modes is known once it has loaded.
  await expect
    .poll(
      async () => {
        const health = await request.get(`${server.url}/api/health`, {
          headers: { Authorization: `Bearer ${server.token}` },
        });
        return ((await health.json()) as { status?: string }).status;
      },
      { timeout: 60_000 },
    )
    .toBe('ready');
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('group', { name: 'Fast modes' });
  // On the CPU the adapters are used as they are (a GPU would run them from Q8_0 copies).
  await expect(section.getByTestId('runtime-adapters-status')).toHaveText(
    'Runtime LoRA adapters run as given (the model is on the CPU).',
  );
  // Fast modes on their default with no merged model made: nothing to say about them.
  await expect(section.getByTestId('fast-modes-status')).toHaveCount(0);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-fast-modes-status');
});
