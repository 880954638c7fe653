import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { openMemoryStore } from '../../electron/core/memory';
import type { Mode } from '../../electron/shared';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const DAY_MS = 24 * 60 * 60 * 1000;
const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-conversations-'));
let server: PonderServe;

/** Conversations of several days and modes; two share a title. */
const SEEDED: { title: string; mode: Mode; daysAgo: number }[] = [
  { title: 'Moon phases', mode: 'search', daysAgo: 0 },
  { title: 'Prime factors of 91', mode: 'reasoning', daysAgo: 1 },
  { title: 'Sourdough starter', mode: 'chat', daysAgo: 3 },
  { title: 'Sourdough starter', mode: 'chat', daysAgo: 4 },
];

test.beforeAll(async () => {
  const path = join(dataDir, 'ponder.db');
  const store = openMemoryStore({ path });
  const ids: string[] = [];
  for (const seeded of SEEDED) {
    const { id } = store.createConversation({ title: seeded.title });
    store.addMessage({ conversationId: id, role: 'user', text: seeded.title, mode: seeded.mode });
    store.addMessage({
      conversationId: id,
      role: 'assistant',
      text: '',
      solution: `About ${seeded.title.toLowerCase()}.`,
      mode: seeded.mode,
    });
    ids.push(id);
  }
  await store.dispose();
  // Back-date them, as if they had been asked on earlier days.
  const db = new Database(path);
  const setTimes = db.prepare('UPDATE conversations SET created = ?, updated = ? WHERE id = ?');
  SEEDED.forEach((seeded, index) => {
    const at = Date.now() - seeded.daysAgo * DAY_MS - index * 60_000;
    setTimes.run(at, at, ids[index]);
  });
  db.close();
  server = await startPonderServe({ withModel: false, dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const history = (page: Page) => page.getByRole('region', { name: 'History' });
const conversation = (page: Page, title: string) =>
  history(page).getByRole('button', { name: title, exact: true });

test.describe.configure({ mode: 'serial' });

test('conversations are grouped by date, with their mode, and same titles told apart', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await expect(history(page).getByRole('heading')).toHaveText([
    'Today',
    'Yesterday',
    'Previous 7 days',
  ]);
  await expect(history(page).getByRole('list', { name: 'Today' })).toContainText('Moon phases');
  await expect(conversation(page, 'Moon phases')).toHaveAccessibleDescription('Search');
  await expect(conversation(page, 'Prime factors of 91')).toHaveAccessibleDescription(
    'Deep Reasoning',
  );
  const sourdough = conversation(page, 'Sourdough starter');
  await expect(sourdough).toHaveCount(2);
  const started = [
    await sourdough.nth(0).getAttribute('aria-describedby'),
    await sourdough.nth(1).getAttribute('aria-describedby'),
  ];
  const descriptions = await Promise.all(
    started.map((id) => page.locator(`[id="${id ?? ''}"]`).innerText()),
  );
  expect(descriptions[0]).toMatch(/started/);
  expect(descriptions[0]).not.toBe(descriptions[1]);
});

test('reopening a conversation restores its mode', async ({ page }) => {
  await page.goto(server.uiUrl);
  const checked = (name: string) =>
    expect(page.getByRole('radio', { name })).toHaveAttribute('aria-checked', 'true');
  await conversation(page, 'Prime factors of 91').click();
  await checked('Deep Reasoning');
  await conversation(page, 'Moon phases').click();
  await checked('Search');
  await conversation(page, 'Sourdough starter').first().click();
  await checked('Fast Chat');
});

test('the menu renames, pins and exports a conversation from the keyboard', async ({ page }) => {
  await page.goto(server.uiUrl);
  const actions = history(page).getByRole('button', { name: 'Actions for Moon phases' });
  await actions.click();
  const menu = page.getByRole('menu', { name: 'Actions for Moon phases' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Rename',
    'Pin to top',
    'Export as Markdown',
    'Export as JSON',
    'Delete…',
  ]);
  await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await screenshot(page, 'conversation-menu');
  await expectNoSeriousAxeViolations(page, 'the conversation menu');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(actions).toBeFocused();

  // Rename: Enter on the first item, type, Enter.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  const field = history(page).getByRole('textbox', { name: 'New title' });
  await expect(field).toBeFocused();
  await field.fill('Phases of the moon');
  await field.press('Enter');
  await expect(conversation(page, 'Phases of the moon')).toBeVisible();

  // Pin: the conversation moves under "Pinned", and stays there after a reload.
  await history(page).getByRole('button', { name: 'Actions for Sourdough starter' }).last().click();
  await page.getByRole('menuitem', { name: 'Pin to top' }).click();
  await page.reload();
  await expect(history(page).getByRole('heading').first()).toHaveText('Pinned');
  await expect(history(page).getByRole('list', { name: 'Pinned' })).toContainText(
    'Sourdough starter',
  );
  await expect(conversation(page, 'Phases of the moon')).toBeVisible();

  // Export as Markdown downloads the conversation as a file.
  await history(page).getByRole('button', { name: 'Actions for Phases of the moon' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export as Markdown' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('Phases-of-the-moon.md');
  const saved = await file.path();
  expect(readFileSync(saved, 'utf8')).toContain('About moon phases.');
});

test('delete asks first, can be undone, and then deletes for good', async ({ page }) => {
  await page.goto(server.uiUrl);
  const open = async () => {
    await history(page).getByRole('button', { name: 'Actions for Prime factors of 91' }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
  };
  await open();
  const dialog = page.getByRole('dialog', { name: 'Delete this conversation?' });
  await expect(dialog).toContainText('“Prime factors of 91” and all its answers will be deleted.');
  // Cancel has focus, so Enter alone never deletes.
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(conversation(page, 'Prime factors of 91')).toBeVisible();

  await open();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(conversation(page, 'Prime factors of 91')).toHaveCount(0);
  const undo = page.getByRole('status').filter({ hasText: 'Deleted “Prime factors of 91”.' });
  await undo.getByRole('button', { name: 'Undo' }).click();
  await expect(conversation(page, 'Prime factors of 91')).toBeVisible();
  await page.reload();
  await expect(conversation(page, 'Prime factors of 91')).toBeVisible();

  await open();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await undo.getByRole('button', { name: 'Close, keeping it deleted' }).click();
  await expect(undo).toHaveCount(0);
  await page.reload();
  await expect(conversation(page, 'Phases of the moon')).toBeVisible();
  await expect(conversation(page, 'Prime factors of 91')).toHaveCount(0);
});
