import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-failed-question-'));
let server: PonderServe;

test.beforeAll(async () => {
  // A conversation from an earlier model, and no model now: the next question cannot be answered.
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const { id } = store.createConversation({ title: 'Sourdough starter' });
  store.addMessage({
    conversationId: id,
    role: 'user',
    text: 'How do I feed a starter?',
    mode: 'chat',
  });
  store.addMessage({
    conversationId: id,
    role: 'assistant',
    text: '',
    solution: 'Equal weights of flour and water, once a day.',
    mode: 'chat',
  });
  store.createConversation({ title: 'Older conversation' });
  await store.dispose();
  server = await startPonderServe({ withModel: false, dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const history = (page: Page) => page.getByRole('region', { name: 'History' });

test('a question that could not be answered is still there after a reload, with its error and Retry', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await history(page).getByRole('button', { name: 'Sourdough starter', exact: true }).click();
  await page.getByLabel('Your question').fill('And how warm should it be?');
  await page.getByLabel('Your question').press('Enter');
  const failed = page.locator('article.answer').last();
  await expect(failed).toHaveAttribute('data-status', 'error');
  const message = (await failed.getByRole('alert').locator('.message').textContent()) ?? '';
  expect(message).not.toBe('');

  await page.reload();
  await history(page).getByRole('button', { name: 'Sourdough starter', exact: true }).click();
  await expect(page.locator('.question')).toHaveText([
    'How do I feed a starter?',
    'And how warm should it be?',
  ]);
  const kept = page.locator('article.answer').last();
  await expect(kept).toHaveAttribute('data-status', 'error');
  const alert = kept.getByRole('alert');
  await expect(alert.locator('.message')).toHaveText(message);
  await expect(alert.getByRole('button', { name: 'Retry' })).toBeVisible();
  // A failure has no answer to rate.
  await expect(kept.getByRole('button', { name: 'Good answer' })).toHaveCount(0);
  await screenshot(page, 'failed-question-after-reload');

  // Retry answers the kept question again; it is not asked a second time.
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('article.answer').last()).toHaveAttribute('data-status', 'error');
  await expect(page.locator('article.answer')).toHaveCount(2);
  // The failure is replaced, not kept as a second version of an answer that never was.
  await expect(page.getByRole('group', { name: 'Versions of this answer' })).toHaveCount(0);
  await page.reload();
  await history(page).getByRole('button', { name: 'Sourdough starter', exact: true }).click();
  await expect(page.locator('.question')).toHaveText([
    'How do I feed a starter?',
    'And how warm should it be?',
  ]);
  await expect(
    page.locator('article.answer').last().getByRole('button', { name: 'Retry' }),
  ).toBeVisible();
  await expect(page.getByRole('group', { name: 'Versions of this answer' })).toHaveCount(0);
});
