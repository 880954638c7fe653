import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeDamagedHistory } from '../../electron/core/memory/testing/damaged-history';
import { expectNoSeriousAxeViolations } from '../support/axe-audit';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-recovered-'));
let server: PonderServe;

test.beforeAll(async () => {
  // Forty conversations, then a page in the middle of the messages overwritten.
  writeDamagedHistory(join(dataDir, 'ponder.db'), { title: (i) => `Recipe ${i}` });
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
