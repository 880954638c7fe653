import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-errors-'));
let server: PonderServe;

test.beforeAll(async () => {
  // History from an earlier model, and no model now: a follow-up cannot be answered.
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const { id } = store.createConversation({ title: 'Bread flour' });
  store.addMessage({ conversationId: id, role: 'user', text: 'Bread flour?', mode: 'chat' });
  store.addMessage({
    conversationId: id,
    role: 'assistant',
    text: '',
    solution: 'Use a strong white flour.',
    mode: 'chat',
  });
  await store.dispose();
  server = await startPonderServe({ withModel: false, dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a failed answer offers buttons that fix it, in one alert, and keeps the question', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await page
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: 'Bread flour', exact: true })
    .click();
  await page.getByLabel('Your question').fill('And rye flour?');
  await page.getByLabel('Your question').press('Enter');

  const answer = page.locator('article.answer').last();
  await expect(answer).toHaveAttribute('data-status', 'error');
  const alert = answer.getByRole('alert');
  await expect(alert.getByRole('button')).toHaveText([
    'Open model manager',
    'Open settings',
    'Retry',
  ]);
  // Plain words: no terminal commands or HTTP headers quoted with backticks.
  await expect(alert).not.toContainText('`');
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.locator('.question')).toHaveText(['Bread flour?', 'And rye flour?']);
  await screenshot(page, 'error-with-action');
  await expectNoSeriousAxeViolations(page, 'an answer that failed');

  await alert.getByRole('button', { name: 'Open settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(settings).toHaveCount(0);

  await alert.getByRole('button', { name: 'Open model manager' }).click();
  await expect(page.getByRole('dialog', { name: /model/i })).toBeVisible();
  await page.keyboard.press('Escape');

  // Retry asks the same question again instead of adding it twice.
  await answer.getByRole('button', { name: 'Retry' }).click();
  await expect(page.locator('article.answer').last()).toHaveAttribute('data-status', 'error');
  await expect(page.locator('.question')).toHaveText(['Bread flour?', 'And rye flour?']);
  await expect(page.locator('article.answer')).toHaveCount(2);
});
