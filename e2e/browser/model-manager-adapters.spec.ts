import { expect, test } from '@playwright/test';
import { fixturePaths } from '../../models/fixtures';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

let server: PonderServe;

test.beforeAll(async () => {
  server = await startPonderServe({ withModel: false });
});

test.afterAll(async () => {
  await server?.stop();
});

test('the model manager says which adapters fit which model', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Models', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Models' });

  // The catalog: each base model names the model its adapters must be trained on.
  const base7b = dialog.getByRole('listitem').filter({ hasText: 'Qwen2.5 7B base (Q4_K_M)' });
  await expect(base7b).toContainText('Adapters trained on Qwen/Qwen2.5-7B fit it.');
  const instruct7b = dialog
    .getByRole('listitem')
    .filter({ hasText: 'Qwen2.5 7B Instruct (Q4_K_M)' });
  await expect(instruct7b).toContainText('Adapters trained on Qwen/Qwen2.5-7B-Instruct fit it.');

  // Local files: each adapter checked against the chosen model, as the engine checks it.
  await dialog.getByLabel('Model file (GGUF)').fill(fixturePaths.base);
  await dialog.getByLabel('Import Fast Chat adapter (SFT, GGUF LoRA)').fill(fixturePaths.sft);
  await dialog
    .getByLabel('Import Deep Reasoning adapter (GRPO, GGUF LoRA)')
    .fill(fixturePaths.adapterOtherBase);
  await dialog.getByRole('button', { name: 'Check which adapters fit' }).click();
  const fit = dialog.getByRole('list', { name: 'Adapter fit' }).getByRole('listitem');
  await expect(fit).toHaveCount(2);
  await expect(fit.nth(0)).toHaveText('Fast Chat adapter fits this model.');
  await expect(fit.nth(1)).toContainText(
    'tensor "output.weight" is [320, 272] in the base, the adapter expects [256, 272]. Use the adapter trained for this base model',
  );
  expect((await fit.nth(1).innerText()).split('\n')).toHaveLength(1);
  await fit.nth(1).scrollIntoViewIfNeeded();
  await screenshot(page, 'model-manager-adapter-fit');
});
