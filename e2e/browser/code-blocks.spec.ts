import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const CODE = 'def square(x):\n    # multiply it by itself\n    return x * x';
const ANSWER = [
  'Here is **a function**:',
  '',
  '```python',
  CODE,
  '```',
  '',
  '- one item',
  '- `<b>not bold</b>` stays text',
].join('\n');

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-code-'));
let server: PonderServe;

test.beforeAll(async () => {
  const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
  const { id } = store.createConversation({ title: 'Squares in Python' });
  store.addMessage({ conversationId: id, role: 'user', text: 'Square a number?', mode: 'chat' });
  store.addMessage({
    conversationId: id,
    role: 'assistant',
    text: '',
    solution: ANSWER,
    mode: 'chat',
  });
  await store.dispose();
  server = await startPonderServe({ withModel: false, dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a code block is labelled, coloured under the CSP, and copies its code', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(server.uiUrl);
  await page
    .getByRole('region', { name: 'History' })
    .getByRole('button', { name: 'Squares in Python', exact: true })
    .click();
  const answer = page.getByLabel('Answer', { exact: true });
  const block = answer.locator('.code-block');
  await expect(block.locator('.code-language')).toHaveText('Python');
  // highlight.js coloured the keyword and the comment; the code reads exactly as written.
  await expect(block.locator('pre code .hljs-keyword').first()).toHaveText('def');
  await expect(block.locator('pre code .hljs-comment')).toHaveText('# multiply it by itself');
  expect((await block.locator('pre').innerText()).trimEnd()).toBe(CODE);
  const keywordColour = await block
    .locator('.hljs-keyword')
    .first()
    .evaluate((node) => getComputedStyle(node).color);
  const plainColour = await block.locator('pre').evaluate((node) => getComputedStyle(node).color);
  expect(keywordColour).not.toBe(plainColour);

  await block.getByRole('button', { name: 'Copy Python code' }).click();
  await expect(block.getByRole('button', { name: 'Copied Python code' })).toHaveText(
    'Copied Python code',
  );
  await expect(block.locator('.copy-word')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CODE);
  await screenshot(page, 'code-block');
  await expectNoSeriousAxeViolations(page, 'an answer with a code block');

  // The answer copies as Markdown, or as plain text without the markup.
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(ANSWER);
  await page.getByRole('button', { name: 'Copy text', exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    `Here is a function:\n\n${CODE}\n\n- one item\n- <b>not bold</b> stays text`,
  );
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toHaveCount(1);
  expect(refused).toEqual([]);
});
