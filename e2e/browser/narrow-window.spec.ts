import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-narrow-'));
let server: PonderServe;

test.beforeAll(async () => {
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const { id } = store.createConversation({
    title: 'A rather long question about the tides of the Bay of Fundy',
  });
  store.addMessage({
    conversationId: id,
    role: 'user',
    text: 'Why are tides so high there?',
    mode: 'search',
  });
  store.addMessage({
    conversationId: id,
    role: 'assistant',
    text: '',
    solution:
      'The bay resonates with the tide [1]. ' +
      'https://example.org/a-very-long-address-that-would-push-the-page-sideways-if-it-could-not-wrap',
    mode: 'search',
    sources: [
      {
        n: 1,
        title: 'Tidal resonance in the Bay of Fundy',
        url: 'https://example.org/fundy',
        domain: 'example.org',
        snippet: 'The natural period of the bay is close to the tidal period.',
        score: 1,
        provider: 'searxng',
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

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, width } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(width);
}

async function expectWhollyInside(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, 'the element is on screen').not.toBeNull();
  expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
}

const history = (page: Page) => page.getByRole('region', { name: 'History' });

test('at 420 px the list folds away and nothing scrolls sideways', async ({ page }) => {
  await page.setViewportSize({ width: 420, height: 800 });
  await page.goto(server.uiUrl);
  // Folded at this width; the toggle brings it over the chat, and choosing closes it again.
  await expect(history(page)).toHaveCount(0);
  await page.keyboard.press('Control+b');
  await history(page)
    .getByRole('button', {
      name: 'A rather long question about the tides of the Bay of Fundy',
      exact: true,
    })
    .click();
  await expect(history(page)).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('A rather long question');

  await expectNoSidewaysScroll(page);
  for (const name of ['Fast Chat', 'Deep Reasoning', 'Search']) {
    await expectWhollyInside(page, page.getByRole('radio', { name }));
  }
  await expectWhollyInside(page, page.getByLabel('Your question'));
  await expectWhollyInside(page, page.getByRole('button', { name: 'Ask' }));
  await screenshot(page, 'narrow-window');
  await expectNoSeriousAxeViolations(page, 'a 420 px window');

  const toggle = page.getByRole('button', { name: 'Show conversations' });
  await toggle.click();
  await expect(history(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Hide conversations' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await page.keyboard.press('Escape');
  await expect(history(page)).toHaveCount(0);
});

test('at 200% zoom the title and controls stay usable', async ({ browser }) => {
  // 200% zoom of a 1280×800 window: the page lays out in 640×400 CSS pixels, drawn twice as big.
  const context = await browser.newContext({
    viewport: { width: 640, height: 400 },
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await page.goto(server.uiUrl);
  await page.keyboard.press('Control+b');
  await history(page)
    .getByRole('button', {
      name: 'A rather long question about the tides of the Bay of Fundy',
      exact: true,
    })
    .click();
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  for (const name of ['Fast Chat', 'Deep Reasoning', 'Search']) {
    await expectWhollyInside(page, page.getByRole('radio', { name }));
  }
  await expectWhollyInside(page, page.getByLabel('Your question'));
  await page.getByRole('radio', { name: 'Deep Reasoning' }).click();
  await expect(page.getByRole('radio', { name: 'Deep Reasoning' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await screenshot(page, 'zoom-200');
  await context.close();
});

test('on a wide window Ctrl+B hides and shows the conversations', async ({ page }) => {
  await page.goto(server.uiUrl);
  await expect(history(page)).toBeVisible();
  await page.keyboard.press('Control+b');
  await expect(history(page)).toHaveCount(0);
  await page.keyboard.press('Control+b');
  await expect(history(page)).toBeVisible();
});

test('on a short window the Settings Save button stays in view', async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 420 });
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('button', { name: 'Save', exact: true })).toBeInViewport({
    ratio: 1,
  });
  // Scrolled halfway down the form, it is still there.
  await dialog.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }));
  await expect(dialog.getByRole('button', { name: 'Save', exact: true })).toBeInViewport({
    ratio: 1,
  });
});
