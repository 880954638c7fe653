import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { SearxngTestServer } from '../../electron/core/rag/testing/searxng-server';
import { startSearxngServer } from '../../electron/core/rag/testing/searxng-server';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { ANSWER_TIMEOUT } from '../support/timeouts';

const page = (title: string, text: string): string =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p></article></body></html>`;

let search: SearxngTestServer;
let server: PonderServe;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  search = await startSearxngServer([
    {
      title: 'Tides and the moon',
      snippet: 'Tides are caused mainly by the gravitational pull of the moon on the oceans.',
      html: page(
        'Tides and the moon',
        'The moon pulls the oceans toward it, raising a bulge of water.',
      ),
    },
    {
      title: 'Spring and neap tides',
      snippet: 'Spring tides happen at new and full moon; neap tides at the quarter moons.',
      html: page('Spring and neap tides', 'When the sun and the moon line up, tides are largest.'),
    },
    {
      title: 'Tidal range',
      snippet: 'The Bay of Fundy has the largest tidal range in the world, over 16 metres.',
      html: page('Tidal range', 'Tidal range is the height difference between high and low tide.'),
    },
  ]);
  server = await startPonderServe({ searxngUrl: search.origin });
});

test.afterAll(async () => {
  await server?.stop();
  await search?.close();
});

const lastAnswer = (p: Page) => p.locator('article.answer').last();

async function ask(p: Page, question: string): Promise<void> {
  await p.getByLabel('Your question').fill(question);
  await p.getByLabel('Your question').press('Enter');
}

test('the page takes its token from the address and answers in Fast Chat', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  await expect(p.getByRole('radio', { name: 'Fast Chat' })).toHaveAttribute('aria-checked', 'true');
  // The token leaves the address bar (it stays in this tab's sessionStorage).
  expect(p.url()).not.toContain('token=');

  await ask(p, 'What is two plus two?');
  await expect(lastAnswer(p)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(lastAnswer(p).getByLabel('Answer', { exact: true })).toHaveText('Four.');
  await expect(lastAnswer(p).locator('details.reasoning')).toHaveCount(0);
  await expect(p.locator('.question').last()).toHaveText('What is two plus two?');
  await screenshot(p, '01-fast-chat-answer');
});

test('Deep Reasoning shows its reasoning apart from the solution', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  // Keyboard only: Alt+2 picks the second mode; arrows move within the radio group.
  await p.keyboard.press('Alt+2');
  await expect(p.getByRole('radio', { name: 'Deep Reasoning' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await p.getByRole('radio', { name: 'Deep Reasoning' }).focus();
  await p.keyboard.press('ArrowRight');
  await expect(p.getByRole('radio', { name: 'Search' })).toHaveAttribute('aria-checked', 'true');
  await p.keyboard.press('ArrowLeft');
  await expect(p.getByRole('radio', { name: 'Deep Reasoning' })).toHaveAttribute(
    'aria-checked',
    'true',
  );

  await ask(p, 'What is 2+2?');
  const answer = lastAnswer(p);
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  const reasoning = answer.locator('details.reasoning');
  await expect(reasoning.locator('summary')).toHaveText(/^Thought for [\d.]+ s · \d+ tokens$/);
  // The summary counts the thinking only; the answer's own count (below it) includes the solution.
  const thinkingTokens = Number(
    /(\d+) tokens$/.exec(await reasoning.locator('summary').innerText())?.[1],
  );
  const answerTokens = Number(
    /^(\d+) tokens/.exec(await answer.locator('.stats').innerText())?.[1],
  );
  expect(thinkingTokens).toBeGreaterThan(0);
  expect(thinkingTokens).toBeLessThan(answerTokens);
  await expect(answer.getByLabel('Answer', { exact: true })).toHaveText('4');
  // The trace is folded once the answer is there; opening it shows the reasoning, not the answer.
  await reasoning.locator('summary').click();
  await expect(reasoning.locator('.trace')).toHaveText('Two plus two is four.');
  await expect(answer.getByLabel('Answer', { exact: true })).not.toContainText('Two plus two');
  await screenshot(p, '02-deep-reasoning-trace-and-solution');
});

test('Search shows numbered source cards from the search server', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  await p.getByRole('radio', { name: 'Search' }).click();
  await ask(p, 'how do tides work');
  const answer = lastAnswer(p);
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  const cards = answer.getByRole('list', { name: 'Sources' }).getByRole('button');
  // Ranking keeps the pages that match the question best; each card names its page and site.
  await expect(cards.first()).toBeVisible();
  const count = await cards.count();
  expect(count).toBeGreaterThanOrEqual(1);
  expect(count).toBeLessThanOrEqual(3);
  for (let i = 0; i < count; i += 1) {
    await expect(cards.nth(i)).toContainText(/tid/i);
    await expect(cards.nth(i)).toContainText('127.0.0.1');
    await expect(cards.nth(i)).toHaveAccessibleName(
      new RegExp(`^Source ${i + 1} .+ 127\\.0\\.0\\.1(:\\d+)? Opens in your browser\\.$`),
    );
  }
  await expect(answer.getByLabel('Answer', { exact: true })).toHaveText('4');
  // The answer says its sources were picked by keywords only.
  await expect(answer).toContainText('Ranked by keywords only (BM25)');
  await screenshot(p, '03-search-sources');
});

test('Stop ends an answer mid-way and the next question still works', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  await p.getByRole('radio', { name: 'Search' }).click();
  search.setMode('hang');
  await ask(p, 'what makes spring tides');
  const answer = lastAnswer(p);
  await expect(answer.getByRole('status').first()).toContainText(/Searching/);
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  // The new conversation is listed while its answer is still on the way.
  await expect(
    p
      .getByRole('region', { name: 'History' })
      .getByRole('button', { name: 'what makes spring tides', exact: true }),
  ).toBeVisible();
  await screenshot(p, '04-answer-in-progress');
  await answer.getByRole('button', { name: 'Stop answering' }).click();
  await expect(answer).toHaveAttribute('data-status', 'cancelled');
  await expect(answer).toContainText('Stopped.');
  await screenshot(p, '05-stopped');

  search.setMode('ok');
  await p.getByRole('radio', { name: 'Fast Chat' }).click();
  await ask(p, 'Still there?');
  await expect(lastAnswer(p)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(lastAnswer(p).getByLabel('Answer', { exact: true })).toHaveText('Four.');
});

test('after a reload the conversations are in the history and open again', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  await p.reload();
  const history = p.getByRole('region', { name: 'History' });
  await expect(
    history.getByRole('button', { name: 'What is two plus two?', exact: true }),
  ).toBeVisible();
  await expect(history.getByRole('listitem')).toHaveCount(4);
  await history.getByRole('button', { name: 'What is 2+2?', exact: true }).click();
  await expect(p.locator('.question')).toHaveText(['What is 2+2?']);
  await expect(lastAnswer(p).getByLabel('Answer', { exact: true })).toHaveText('4');
  await expect(lastAnswer(p).locator('details.reasoning summary')).toHaveText(/^Thought/);
  await screenshot(p, '06-history-after-reload');

  // Regenerate replaces the last answer; the question is not repeated.
  await lastAnswer(p).getByRole('button', { name: 'Regenerate the answer' }).click();
  await expect(lastAnswer(p)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(lastAnswer(p).getByLabel('Answer', { exact: true })).toHaveText('4');
  await expect(p.locator('.question')).toHaveText(['What is 2+2?']);
  await expect(p.locator('article.answer')).toHaveCount(1);
  await p.reload();
  await p
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: 'What is 2+2?', exact: true })
    .click();
  await expect(p.locator('.question')).toHaveText(['What is 2+2?']);
  await expect(p.locator('article.answer')).toHaveCount(1);
});

test('searching the history finds a conversation by its words', async ({ page: p }) => {
  await p.goto(server.uiUrl);
  await p.getByRole('searchbox', { name: 'Search conversations' }).fill('tides');
  const results = p.getByRole('list', { name: 'Search results' });
  await expect(results.getByRole('button')).not.toHaveCount(0);
  await expect(results.locator('mark').first()).toHaveText(/tides/i);
  await screenshot(p, '07-history-search');
  await results.getByRole('button').first().click();
  await expect(p.locator('.question').first()).toContainText('tides');

  await p.getByRole('searchbox', { name: 'Search conversations' }).fill('zebra crossings');
  await expect(p.getByText('No conversation mentions “zebra crossings”.')).toBeVisible();
});

test('quick ask answers in place and "Open in Ponder" continues in the main view', async ({
  page: p,
}) => {
  await p.emulateMedia({ colorScheme: 'dark' });
  await p.goto(`${server.url}/#/quick&token=${server.token}`);
  await p.getByLabel('Quick question').fill('Quick: two plus two?');
  await p.getByLabel('Quick question').press('Enter');
  const answer = p.locator('article.answer');
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(answer.getByLabel('Answer', { exact: true })).toHaveText('Four.');
  await screenshot(p, '08-quick-ask-dark');
  await p.getByRole('button', { name: 'Open in Ponder' }).click();
  await expect(p.locator('.question')).toHaveText(['Quick: two plus two?']);
  await expect(p.getByRole('heading', { level: 1 })).toHaveText('Quick: two plus two?');
  await screenshot(p, '09-main-window-dark');
});
