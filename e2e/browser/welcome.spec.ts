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
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Saved.')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByLabel('Your question').fill('Hello?');
  await page.getByLabel('Your question').press('Enter');
  const answer = page.locator('article.answer').last();
  await expect(answer).toHaveAttribute('data-status', 'error', ANSWER_TIMEOUT);
  const alert = answer.getByRole('alert');
  await expect(alert).toBeVisible();
  await expect(alert.locator('.message')).not.toBeEmpty();
  await screenshot(page, '14-error-explained');
});
