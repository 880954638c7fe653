import { expect, test, type Page } from '@playwright/test';
import type { SearxngTestServer } from '../../electron/core/rag/testing/searxng-server';
import { startSearxngServer } from '../../electron/core/rag/testing/searxng-server';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { ANSWER_TIMEOUT } from '../support/timeouts';

let search: SearxngTestServer;
let server: PonderServe;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  search = await startSearxngServer([
    {
      title: 'Tides',
      snippet: 'Tides follow the moon.',
      html: '<!doctype html><title>Tides</title><article><p>Tides follow the moon.</p></article>',
    },
  ]);
  server = await startPonderServe({ searxngUrl: search.origin });
});

test.afterAll(async () => {
  await server?.stop();
  await search?.close();
});

const question = (page: Page) => page.getByLabel('Your question');

test('Esc stops an answer and the keyboard is back on the question', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.keyboard.press('Alt+3');
  search.setMode('hang');
  await question(page).fill('what do tides follow');
  await question(page).press('Enter');
  const answer = page.locator('article.answer').last();
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  await page.locator('header h1').click();
  await page.keyboard.press('Escape');
  await expect(answer).toHaveAttribute('data-status', 'cancelled');
  await expect(question(page)).toBeFocused();
  search.setMode('ok');
});

test('Regenerate hands the keyboard back to the question', async ({ page }) => {
  await page.goto(server.uiUrl);
  await question(page).fill('What is two plus two?');
  await question(page).press('Enter');
  const answer = page.locator('article.answer').last();
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await answer.getByRole('button', { name: 'Regenerate the answer' }).click();
  await expect(question(page)).toBeFocused();
  await expect(page.locator('article.answer').last()).toHaveAttribute(
    'data-status',
    'complete',
    ANSWER_TIMEOUT,
  );
});

test('Ctrl+K searches the history and Ctrl+/ lists the shortcuts', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.keyboard.press('Control+b');
  await expect(page.getByRole('region', { name: 'History' })).toHaveCount(0);
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('searchbox', { name: 'Search conversations' })).toBeFocused();

  await page.keyboard.press('Control+/');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Stop the answer');
  await expect(help).toContainText('Search the history');
  await expectNoSeriousAxeViolations(page, 'the shortcut list');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('quick ask takes Alt+1–3 and has its landmark and heading', async ({ page }) => {
  await page.goto(`${server.url}/#/quick&token=${server.token}`);
  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('radio', { name: 'Deep Reasoning' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('radio', { name: 'Search' })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('main')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Quick ask' })).toHaveCount(1);
  await expectNoSeriousAxeViolations(page, 'quick ask', [
    'region',
    'landmark-one-main',
    'page-has-heading-one',
  ]);
});
