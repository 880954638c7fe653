import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { ANSWER_TIMEOUT } from '../support/timeouts';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-actions-'));
let server: PonderServe;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // A conversation long enough to scroll.
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const { id } = store.createConversation({ title: 'A long conversation' });
  for (let i = 1; i <= 25; i += 1) {
    store.addMessage({ conversationId: id, role: 'user', text: `Question ${i}?`, mode: 'chat' });
    store.addMessage({
      conversationId: id,
      role: 'assistant',
      text: '',
      solution: `Answer ${i}.`,
      mode: 'chat',
    });
  }
  await store.dispose();
  server = await startPonderServe({ dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const lastAnswer = (page: Page) => page.locator('article.answer').last();
const openConversation = (page: Page, title: string) =>
  page
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: title, exact: true })
    .click();

test('answers are rated, regenerated into versions, and both are kept', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByLabel('Your question').fill('What is two plus two?');
  await page.getByLabel('Your question').press('Enter');
  const answer = lastAnswer(page);
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);

  // Pointing at the answer shows when it was written.
  await answer.hover();
  await expect(answer.locator('time')).toBeVisible();
  await expect(answer.locator('time')).toHaveText(/\d{1,2}[:.]\d{2}/);

  // Thumbs down on the first version; the same thumb again would take it back.
  const bad = answer.getByRole('button', { name: 'Bad answer' });
  await bad.click();
  await expect(bad).toHaveAttribute('aria-pressed', 'true');
  await expect(answer.getByRole('button', { name: 'Good answer' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );

  await answer.getByRole('button', { name: 'Regenerate the answer' }).click();
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  const versions = page.getByRole('group', { name: 'Versions of this answer' });
  await expect(versions).toContainText('2/2');
  await expect(page.locator('article.answer')).toHaveCount(1);
  // The new version is not rated yet; rate it up.
  await lastAnswer(page).getByRole('button', { name: 'Good answer' }).click();
  await expect(lastAnswer(page).getByRole('button', { name: 'Good answer' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  await versions.getByRole('button', { name: 'Previous version' }).click();
  await expect(versions).toContainText('1/2');
  await expect(lastAnswer(page).getByRole('button', { name: 'Bad answer' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await screenshot(page, 'answer-versions-and-rating');

  // After a reload the chosen version and both ratings are still there.
  await page.reload();
  await openConversation(page, 'What is two plus two?');
  await expect(versions).toContainText('1/2');
  await expect(lastAnswer(page).getByRole('button', { name: 'Bad answer' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await versions.getByRole('button', { name: 'Next version' }).click();
  await expect(lastAnswer(page).getByRole('button', { name: 'Good answer' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('a button brings a scrolled-up reader back to the newest message', async ({ page }) => {
  await page.goto(server.uiUrl);
  await openConversation(page, 'A long conversation');
  const log = page.getByRole('log', { name: 'Conversation' });
  await log.evaluate((element) => element.scrollTo({ top: 0 }));
  const toBottom = page.getByRole('button', { name: /Newest message/ });
  await expect(toBottom).toBeVisible();
  await expect(page.getByText('Answer 25.')).not.toBeInViewport();
  await toBottom.click();
  await expect(page.getByText('Answer 25.')).toBeInViewport();
  await expect(toBottom).toHaveCount(0);
});

test('a question can be edited and sent again; the earlier answers stay as versions', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await openConversation(page, 'What is two plus two?');
  const versions = page.getByRole('group', { name: 'Versions of this answer' });
  await expect(versions).toContainText('/2');
  await page.locator('.question').last().hover();
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const field = page.getByLabel('Edit your question');
  await expect(field).toHaveValue('What is two plus two?');
  await field.fill('What is two plus three?');
  await field.press('Enter');
  await expect(page.locator('.question')).toHaveText(['What is two plus three?']);
  await expect(lastAnswer(page)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(versions).toContainText('3/3');

  await page.reload();
  await openConversation(page, 'What is two plus three?');
  await expect(page.locator('.question')).toHaveText(['What is two plus three?']);
  await expect(versions).toContainText('3/3');
});
