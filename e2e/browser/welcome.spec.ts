import { expect, test } from '@playwright/test';
import { fixturePaths } from '../../models/fixtures';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { ANSWER_TIMEOUT } from '../support/timeouts';

let server: PonderServe;

test.beforeAll(async () => {
  server = await startPonderServe({ withModel: false });
});

test.afterAll(async () => {
  await server?.stop();
});

test('with no model the welcome screen offers a download or a local file', async ({ page }) => {
  await page.goto(server.uiUrl);
  await expect(page.getByRole('heading', { name: 'Welcome to Ponder' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download a model…' })).toBeVisible();
  await expect(page.getByLabel(/Path of a .gguf file/)).toBeVisible();
  // No error is shown for the missing model: the welcome screen is the explanation.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await screenshot(page, '10-welcome-no-model');

  await page.getByRole('button', { name: 'Download a model…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Models' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Download' })).toBeVisible();
  await expect(dialog.getByText('Loading the catalog…')).toHaveCount(0);
  await screenshot(page, '11-model-manager');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // A path that leads nowhere, or to an adapter, is refused before anything is saved.
  await page.getByLabel(/Path of a .gguf file/).fill('/no/such/folder/model.gguf');
  await page.getByRole('button', { name: 'Use this file' }).click();
  await expect(page.getByRole('alert')).toContainText('/no/such/folder/model.gguf');
  await expect(page.getByRole('heading', { name: 'Welcome to Ponder' })).toBeVisible();
  await page.getByLabel(/Path of a .gguf file/).fill(fixturePaths.sft);
  await page.getByRole('button', { name: 'Use this file' }).click();
  await expect(page.getByRole('alert')).toContainText('is a LoRA adapter, not a model');
  await expect(page.getByRole('heading', { name: 'Welcome to Ponder' })).toBeVisible();

  await page.getByLabel(/Path of a .gguf file/).fill(fixturePaths.base);
  await page.getByRole('button', { name: 'Use this file' }).click();
  await expect(page.getByRole('radiogroup', { name: 'Answer mode' })).toBeVisible();
  await page.getByLabel('Your question').fill('Hello?');
  await page.getByLabel('Your question').press('Enter');
  const answer = page.locator('article.answer').last();
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  // No adapters were chosen, so the base model answers.
  await expect(answer.getByLabel('Answer', { exact: true })).toHaveText('Base model reply.');
  await screenshot(page, '12-model-chosen-first-answer');
});

test('a bad model path is explained, not hidden', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByLabel('Context size')).toHaveValue('4096');
  await screenshot(page, '13-settings');
  await dialog.getByLabel('Model file (GGUF)').fill(fixturePaths.broken.badMagic);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  // The file is read before saving: its problem shows at once, and nothing is saved.
  const alert = dialog.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert.locator('.message')).toContainText(fixturePaths.broken.badMagic);
  await expect(dialog.getByText('Saved.')).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Open settings' })).toHaveCount(0);
  const saved = await page.request.get(`${server.url}/api/settings`, {
    headers: { Authorization: `Bearer ${server.token}` },
  });
  expect(((await saved.json()) as { modelPath: string }).modelPath).toBe(fixturePaths.base);
  await screenshot(page, '14-error-explained');
});
