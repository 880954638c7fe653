import { expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePaths } from '../../models/fixtures';
import {
  fixtureLmHead,
  peftConfig,
  writePeftFolder,
} from '../../electron/core/models/peft/testing/peft-folder';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

let server: PonderServe;
let work: string;

test.beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'ponder-e2e-adapters-'));
  server = await startPonderServe({ withModel: false });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

test('Settings → Adapters imports a trained PEFT folder, and refuses DoRA in one line', async ({
  page,
}) => {
  // What PEFT's save_pretrained writes for the fixture SFT adapter, and the same trained with DoRA.
  const trained = await writePeftFolder(join(work, 'my-sft'), peftConfig(), fixtureLmHead('sft'));
  const dora = await writePeftFolder(
    join(work, 'my-dora'),
    peftConfig({ use_dora: true }),
    fixtureLmHead('sft'),
  );

  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Model file (GGUF)').fill(fixturePaths.base);

  const adapters = dialog.getByRole('group', { name: 'Adapters' });
  await adapters.getByRole('button', { name: 'Import a trained adapter folder…' }).click();
  const folder = adapters.getByLabel('Adapter folder (PEFT, TRL or Unsloth output)');
  await folder.fill(trained);
  await adapters.getByRole('button', { name: 'Import', exact: true }).click();

  const out = join(trained, 'my-sft-F16-LoRA.gguf');
  const imported = adapters.getByRole('status');
  await expect(imported).toContainText(`Imported 1 LoRA pair → ${out}. It fits this model.`);
  expect(existsSync(out)).toBe(true);
  // Importing saves nothing: the settings are saved only with Save.
  await expect(dialog.getByText('Saved.')).toHaveCount(0);
  await imported.getByRole('button', { name: 'Use for Fast Chat' }).click();
  await expect(dialog.getByLabel('Fast Chat adapter (SFT LoRA)')).toHaveValue(out);
  await imported.scrollIntoViewIfNeeded();
  await screenshot(page, 'adapter-import');

  await folder.fill(dora);
  await folder.press('Enter');
  const refusal = adapters.getByRole('alert');
  await expect(refusal).toContainText('uses DoRA (use_dora)');
  expect((await refusal.innerText()).split('\n')).toHaveLength(1);
  await expect(imported).toHaveCount(0);
  expect(existsSync(join(dora, 'my-dora-F16-LoRA.gguf'))).toBe(false);
  await expect(dialog.getByText('Saved.')).toHaveCount(0);
});
