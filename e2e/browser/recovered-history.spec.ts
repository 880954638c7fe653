import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { openMemoryStore } from '../../electron/core/memory';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-recovered-'));
let server: PonderServe;

test.beforeAll(async () => {
  // Forty conversations, then a page in the middle of the messages overwritten.
  const path = join(dataDir, 'ponder.db');
  const store = openMemoryStore({ path });
  for (let i = 0; i < 40; i += 1) {
    const { id } = store.createConversation({ title: `Recipe ${i}` });
    store.addMessage({ conversationId: id, role: 'user', text: `question ${i} `.repeat(60) });
    store.addMessage({ conversationId: id, role: 'assistant', text: `answer ${i} `.repeat(60) });
  }
  store.close();
  const probe = new Database(path, { readonly: true });
  const leaves = probe
    .prepare(`SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf'`)
    .pluck()
    .all() as number[];
  probe.close();
  const page = (leaves[Math.floor(leaves.length / 2)] ?? 2) - 1;
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * page);
  closeSync(fd);
  server = await startPonderServe({ withModel: false, dataDir, extraArgs: ['--recover'] });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('after ponder serve --recover the window says where the damaged history was kept', async ({
  page,
}) => {
  const kept = readdirSync(dataDir).find((name) => /^ponder\.db\.damaged-[^-]+$/.test(name));
  expect(kept).toBeDefined();
  await page.goto(server.uiUrl);
  const notice = page.getByRole('status').filter({ hasText: 'conversation database was damaged' });
  await expect(notice).toContainText(`it was kept at ${join(dataDir, kept ?? '')}`);
  await expect(notice).toContainText(
    /a new one was started with the 40 conversations and \d+ messages/,
  );
  // What was read back is there to open.
  await expect(
    page
      .getByRole('region', { name: 'History' })
      .getByRole('button', { name: 'Recipe 0', exact: true }),
  ).toBeVisible();
  await screenshot(page, 'recovered-history-notice');
  await expectNoSeriousAxeViolations(page, 'the notice about a recovered history');

  await notice.getByRole('button', { name: 'Dismiss this notice' }).click();
  await expect(notice).toHaveCount(0);
});
