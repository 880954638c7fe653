import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

let server: PonderServe;

test.beforeAll(async () => {
  server = await startPonderServe({ withModel: false });
});

test.afterAll(async () => {
  await server?.stop();
});

test('Settings → Deep Search saves its budgets and the self-search switch, and shows them again', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  let dialog = page.getByRole('dialog', { name: 'Settings' });
  let section = dialog.getByRole('group', { name: 'Deep Search' });
  // The defaults a new person starts with.
  await expect(section.getByLabel('Rounds')).toHaveValue('3');
  await expect(section.getByLabel('Time limit (seconds)')).toHaveValue('120');
  await expect(section.getByRole('checkbox')).not.toBeChecked();

  await section.getByLabel('Rounds').fill('2');
  await section.getByLabel('Sources in all').fill('6');
  await section.getByLabel('Time limit (seconds)').fill('45');
  await section.getByRole('checkbox').check();
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-deep-search');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();

  // What Deep Search will use is in settings.json, as a person editing it by hand would see it.
  const saved = JSON.parse(readFileSync(join(server.dataDir, 'settings.json'), 'utf8')) as {
    research?: Record<string, unknown>;
  };
  expect(saved.research).toMatchObject({ rounds: 2, pages: 6, wallMs: 45_000, selfSearch: true });

  // After a reload the dialog shows the saved values.
  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  dialog = page.getByRole('dialog', { name: 'Settings' });
  section = dialog.getByRole('group', { name: 'Deep Search' });
  await expect(section.getByLabel('Rounds')).toHaveValue('2');
  await expect(section.getByLabel('Sources in all')).toHaveValue('6');
  await expect(section.getByLabel('Time limit (seconds)')).toHaveValue('45');
  await expect(section.getByRole('checkbox')).toBeChecked();
});

test('Settings → Fast modes saves the choice of merged models, and shows it again', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  let dialog = page.getByRole('dialog', { name: 'Settings' });
  let choice = dialog
    .getByRole('group', { name: 'Fast modes' })
    .getByLabel('Modes on merged models');
  await expect(choice).toHaveValue('auto');
  await choice.selectOption('off');
  await dialog.getByRole('group', { name: 'Fast modes' }).scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-fast-modes');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  const saved = JSON.parse(readFileSync(join(server.dataDir, 'settings.json'), 'utf8')) as {
    fastModes?: string;
  };
  expect(saved.fastModes).toBe('off');

  await page.reload();
  await page.getByRole('button', { name: 'Settings' }).click();
  dialog = page.getByRole('dialog', { name: 'Settings' });
  choice = dialog.getByRole('group', { name: 'Fast modes' }).getByLabel('Modes on merged models');
  await expect(choice).toHaveValue('off');
});
