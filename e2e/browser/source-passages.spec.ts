import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

/** What the model was given from each page: the exact passages, with their section paths. */
const MOON_PASSAGES = [
  {
    text: 'The moon pulls the oceans toward it, raising a bulge of water on the near side of the Earth.',
    section: 'Tides and the moon › Why tides happen',
    offset: 120,
  },
  {
    text: 'A second bulge forms on the far side, where the pull is weakest.\n  It trails the first by about twelve hours.',
    section: 'Tides and the moon › Two bulges',
    offset: 980,
  },
];
const RANGE_PASSAGE = {
  text: 'The Bay of Fundy has the largest tidal range in the world, over 16 metres.',
  section: 'Tidal range',
  offset: 0,
};

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-passages-'));
let server: PonderServe;

test.beforeAll(async () => {
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const conversation = store.createConversation({ title: 'How tides work' });
  store.addMessage({
    conversationId: conversation.id,
    role: 'user',
    text: 'How do tides work?',
    mode: 'search',
  });
  store.addMessage({
    conversationId: conversation.id,
    role: 'assistant',
    text: '',
    mode: 'search',
    adapter: 'grpo',
    solution: 'The moon raises two bulges of water [1]. The range can exceed 16 metres [2].',
    sources: [
      {
        n: 1,
        title: 'Tides and the moon: why the oceans rise and fall twice a day',
        url: 'https://example.org/tides',
        domain: 'example.org',
        snippet: 'Tides are caused mainly by the pull of the moon.',
        score: 0.9,
        provider: 'searxng',
        passages: MOON_PASSAGES,
      },
      {
        n: 2,
        title: 'Tidal range',
        url: 'https://example.com/range',
        domain: 'example.com',
        snippet: 'The height difference between high and low tide.',
        score: 0.7,
        provider: 'searxng',
        passages: [RANGE_PASSAGE],
      },
    ],
  });
  await store.dispose();
  server = await startPonderServe({ withModel: false, dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('each source card shows the passages the model was given, verbatim', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'How tides work', exact: true }).click();
  const sources = page.getByRole('list', { name: 'Sources' });
  await expect(sources.locator('#source-1 summary')).toHaveText('What Ponder read: 2 passages');
  await expect(sources.locator('#source-2 summary')).toHaveText('What Ponder read: 1 passage');
  // The full title is there on hover even when the card cuts it short.
  await expect(
    sources.getByRole('button', { name: /^Source 1 Tides and the moon/ }),
  ).toHaveAttribute(
    'title',
    'Tides and the moon: why the oceans rise and fall twice a day\nhttps://example.org/tides',
  );

  await sources.locator('#source-1 summary').click();
  const read = page.getByRole('list', { name: 'Passages read from source 1' });
  await expect(read.getByRole('listitem')).toHaveCount(2);
  await expect(read.getByRole('listitem').nth(0)).toContainText(
    'Tides and the moon › Why tides happen',
  );
  // Line breaks and indentation of the text given to the model are kept as they were.
  expect(await read.locator('blockquote').nth(1).innerText()).toBe(MOON_PASSAGES[1]?.text);
  await screenshot(page, 'source-passages');
  await expectNoSeriousAxeViolations(page, 'an answer with opened source passages');
});

test('pointing at or focusing a citation previews its source and passage', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'How tides work', exact: true }).click();
  const answer = page.getByLabel('Answer', { exact: true });
  const preview = page.getByRole('tooltip');
  await expect(preview).toHaveCount(0);

  await answer.getByRole('link', { name: 'Source 1' }).hover();
  await expect(preview).toContainText(
    'Tides and the moon: why the oceans rise and fall twice a day',
  );
  await expect(preview).toContainText('Tides and the moon › Why tides happen');
  await expect(preview).toContainText(MOON_PASSAGES[0]?.text ?? '');
  await expect(preview).toContainText('and 1 more passage under the source card');
  await expect(answer.getByRole('link', { name: 'Source 1' })).toHaveAccessibleDescription(
    /The moon pulls the oceans toward it/,
  );
  await screenshot(page, 'citation-hover-preview');

  await page.getByRole('heading').first().hover();
  await expect(preview).toHaveCount(0);

  // Keyboard: focusing the other citation previews its own source; Esc hides the preview.
  await answer.getByRole('link', { name: 'Source 2' }).focus();
  await expect(preview).toContainText('Tidal range');
  await expect(preview).toContainText(RANGE_PASSAGE.text);
  await expect(preview).not.toContainText('Tides and the moon');
  await page.keyboard.press('Escape');
  await expect(preview).toHaveCount(0);
});
