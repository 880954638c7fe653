import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { ROOT } from '../support/paths';
import { screenshot } from '../support/screenshot';

let server: PonderServe;

test.beforeAll(async () => {
  server = await startPonderServe({ withModel: false });
});

test.afterAll(async () => {
  await server?.stop();
});

test('Settings → Adapters opens the evaluation report ponder eval wrote', async ({ page }) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog.getByRole('group', { name: 'Adapters' })).toContainText(
    'ponder adapters import',
  );

  await dialog
    .getByLabel('Evaluation report (eval.json)')
    .setInputFiles(join(ROOT, 'bench/results/eval-fixtures/eval.json'));
  const report = dialog.getByRole('region', { name: 'Evaluation report' });
  await expect(report.getByRole('row')).toHaveCount(4);
  await expect(
    report.getByRole('row', { name: /reasoning grpo 3 100% \/ 0% \/ 0%/ }),
  ).toBeVisible();
  await expect(report.getByRole('img', { name: /Quality against the references/ })).toBeVisible();
  await screenshot(page, '40-settings-eval-report');

  await dialog.getByLabel('Evaluation report (eval.json)').setInputFiles({
    name: 'chats.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"conversations": []}'),
  });
  await expect(dialog.getByRole('alert')).toHaveText(
    'chats.json is not an evaluation report from `ponder eval` (no "modes" list).',
  );
  await expect(report).toHaveCount(0);
});
