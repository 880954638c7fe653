import { basename } from 'node:path';
import { expect, test } from '@playwright/test';
import { fixturePaths } from '../../models/fixtures';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { ANSWER_TIMEOUT } from '../support/timeouts';

let server: PonderServe;

test.beforeAll(async () => {
  server = await startPonderServe();
});

test.afterAll(async () => {
  await server?.stop();
});

test('the header names the model and the adapter of each mode', async ({ page }) => {
  await page.goto(server.uiUrl);
  const status = page.locator('header .model-status');
  await expect(status).toContainText(basename(fixturePaths.base));
  await expect(status).toContainText('Fast Chat: sft');
  await expect(status).toContainText('Deep Reasoning: grpo');
  await expect(status).toContainText('Search: grpo');
});

test('an answer that waits for the model shows how far loading has got', async ({ page }) => {
  // `ponder serve` loads the small test model before a question can arrive, so the loading events
  // are put in front of the real answer's stream here and held until the test lets them go.
  await page.addInitScript(() => {
    const realFetch = window.fetch.bind(window);
    const w = window as unknown as { releaseLoading?: () => void };
    window.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const response = await realFetch(input, init);
      if (!url.endsWith('/api/ask') || !response.body) return response;
      const released = new Promise<void>((resolve) => (w.releaseLoading = resolve));
      const encoder = new TextEncoder();
      const reader = response.body.getReader();
      const event = (progress: number) =>
        encoder.encode(`data: {"type":"model-loading","progress":${progress}}\n\n`);
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(event(0.4));
          await released;
          controller.enqueue(event(1));
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            controller.enqueue(value);
          }
          controller.close();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
  });
  await page.goto(server.uiUrl);
  await page.getByLabel('Your question').fill('What is two plus two?');
  await page.getByLabel('Your question').press('Enter');

  const answer = page.locator('article.answer').last();
  await expect(answer.getByRole('status')).toContainText('Loading model… 40%');
  await expect(answer.getByRole('progressbar', { name: 'Loading the model' })).toHaveAttribute(
    'value',
    '0.4',
  );
  await expect(answer).not.toContainText('Thinking…');
  await screenshot(page, 'loading-progress');

  await page.evaluate(() =>
    (window as unknown as { releaseLoading?: () => void }).releaseLoading?.(),
  );
  await expect(answer).toHaveAttribute('data-status', 'complete', ANSWER_TIMEOUT);
  await expect(answer.getByLabel('Answer', { exact: true })).toHaveText('Four.');
  await expect(answer).not.toContainText('Loading model');
});
