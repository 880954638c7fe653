import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { RESEARCH_PAGES } from '../../electron/core/agent/research/testing/research-pages';
import type { SearxngTestServer } from '../../electron/core/rag/testing/searxng-server';
import { startSearxngServer } from '../../electron/core/rag/testing/searxng-server';
import {
  ensureResearchFixtures,
  researchFixturePaths,
} from '../../models/fixtures/research/build-research-fixtures';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { ANSWER_TIMEOUT } from '../support/timeouts';

/**
 * Deep Search from the window: the research fixture model plans two sub-questions, asks one
 * follow-up, and concludes; the SearXNG fixture answers each query with a different page.
 */
const QUESTION =
  'Who wrote Alpha and Beta, and who founded the lab where the author of Alpha worked?';

let search: SearxngTestServer;
let server: PonderServe;

test.beforeAll(async () => {
  await ensureResearchFixtures();
  search = await startSearxngServer(RESEARCH_PAGES);
  server = await startPonderServe({
    modelPath: researchFixturePaths.followUp,
    searxngUrl: search.origin,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await search?.close();
});

const lastAnswer = (p: Page) => p.locator('article.answer').last();

/** The timeline's lines as a person reads them, after opening it. */
async function timelineLines(p: Page): Promise<string[]> {
  const timeline = lastAnswer(p).locator('details.timeline');
  if ((await timeline.getAttribute('open')) === null) await timeline.locator('summary').click();
  return timeline.locator('li .text').allInnerTexts();
}

test('Deep Search shows its research timeline, and the timeline survives a reload', async ({
  page: p,
}) => {
  await p.goto(server.uiUrl);
  await p.getByRole('radio', { name: 'Search' }).click();
  const deep = p.getByRole('button', { name: 'Deep', exact: true });
  await expect(deep).toHaveAttribute('aria-pressed', 'false');
  // Keyboard: the toggle is reached and pressed like any button.
  await deep.focus();
  await p.keyboard.press('Space');
  await expect(deep).toHaveAttribute('aria-pressed', 'true');

  await p.getByLabel('Your question').fill(QUESTION);
  await p.keyboard.press('Enter');
  const answer = lastAnswer(p);
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);

  const summary = answer.locator('details.timeline summary');
  await expect(summary).toHaveText(/^Research: \d+ searches in \d+ rounds?$/);
  const live = await timelineLines(p);
  expect(live[0]).toBe('Plan: “Who wrote Alpha?”, “Who wrote Beta?”');
  expect(live).toContainEqual(expect.stringMatching(/^Searched “Who wrote Alpha\?”: \d+ sources?/));
  expect(live).toContainEqual(expect.stringMatching(/^Searched “Who wrote Beta\?”: \d+ sources?/));
  expect(live.at(-1)).toMatch(/^Concluding from \d+ sources? after \d+ searches?\.$/);
  await expect(answer.getByRole('list', { name: 'Sources' }).getByRole('button')).not.toHaveCount(
    0,
  );
  await screenshot(p, 'research-timeline');
  await expectNoSeriousAxeViolations(p, 'a Deep Search answer with its timeline open');

  // Each step shows its time, and each analysis what it learned, with its citations.
  const timeline = answer.locator('details.timeline');
  const liveTimes = await timeline.locator('li .ms').allInnerTexts();
  expect(liveTimes.length).toBeGreaterThan(4);
  for (const time of liveTimes) expect(time).toMatch(/^\d+(\.\d)? m?s$/);
  const learned = await timeline.locator('li .known').allInnerTexts();
  expect(learned[0]).toBe('Learned: Alpha is by Ann Lee [1]; Beta is by Bo Chen [2].');

  const liveSummary = await summary.innerText();
  await p.reload();
  await p
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: /^Who wrote Alpha and Beta/ })
    .click();
  await expect(lastAnswer(p).locator('details.timeline summary')).toHaveText(liveSummary);
  expect(await timelineLines(p)).toEqual(live);
  // Reopened, the timings and what was learned are the same as they were live.
  const reopened = lastAnswer(p).locator('details.timeline');
  expect(await reopened.locator('li .ms').allInnerTexts()).toEqual(liveTimes);
  expect(await reopened.locator('li .known').allInnerTexts()).toEqual(learned);
  // The steps are the timeline's, not the model's reasoning.
  await expect(lastAnswer(p)).not.toContainText('▸');
});

test('Auto says which mode it picked and why, and asks again in another mode in one click', async ({
  page: p,
}) => {
  await p.goto(server.uiUrl);
  await p.getByRole('radio', { name: 'Auto' }).click();
  await p.getByLabel('Your question').fill(QUESTION);
  await p.keyboard.press('Enter');
  const answer = lastAnswer(p);
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  const route = answer.getByRole('group', { name: 'Mode chosen by Auto' });
  await expect(route).toContainText(/^Auto chose (Search|Deep Reasoning)/);
  const why = await route.locator('.why').innerText();
  await expectNoSeriousAxeViolations(p, "an answer with Auto's choice");

  // Reopened from the history, the answer still says what Auto chose and offers the others.
  await p.reload();
  await p
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: /^Who wrote Alpha and Beta/ })
    .first()
    .click();
  const reopened = lastAnswer(p).getByRole('group', { name: 'Mode chosen by Auto' });
  await expect(reopened.locator('.why')).toHaveText(why);
  await reopened.getByRole('button', { name: 'Ask with Fast Chat' }).click();
  await expect(lastAnswer(p)).toHaveAttribute('data-mode', 'chat');
  await expect(lastAnswer(p)).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  // The question is answered again in place, not asked a second time.
  await expect(p.locator('.question')).toHaveCount(1);
});

test('quick ask starts on Auto and runs Deep Search with Alt+3 and Alt+D', async ({ page: p }) => {
  // The size of the desktop quick-ask popup.
  await p.setViewportSize({ width: 680, height: 420 });
  await p.goto(`${server.url}/#/quick&token=${server.token}`);
  await expect(p.getByRole('radio', { name: 'Auto' })).toHaveAttribute('aria-checked', 'true');
  // Deep belongs to Search: it shows once Search is picked.
  await expect(p.getByRole('button', { name: 'Deep', exact: true })).toHaveCount(0);
  await p.getByLabel('Quick question').fill(QUESTION);
  await p.keyboard.press('Alt+3');
  await p.keyboard.press('Alt+d');
  await expect(p.getByRole('button', { name: 'Deep', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // The question, the four choices and Deep share the popup's width without scrolling sideways.
  const sideways = await p.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth,
  );
  expect(sideways).toBe(false);
  await expect(p.getByLabel('Quick question')).toBeInViewport({ ratio: 1 });
  await expect(p.getByRole('button', { name: 'Deep', exact: true })).toBeInViewport({ ratio: 1 });
  await p.getByLabel('Quick question').press('Enter');
  const answer = p.locator('article.answer');
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(answer.locator('details.timeline summary')).toHaveText(
    /^Research: \d+ searches in \d+ rounds?$/,
  );
  await screenshot(p, 'research-timeline-quick-ask');
  await expectNoSeriousAxeViolations(p, 'quick ask with a Deep Search answer');
});
