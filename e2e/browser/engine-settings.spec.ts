import { expect, test } from '@playwright/test';
import { startOpenAiStandIn } from '../../electron/core/llm/remote/testing/openai-stand-in';
import type { LocalHttpServer } from '../../electron/core/llm/remote/testing/start-http-server';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';

const KEY = 'e2e-engine-key-13579';
let engine: LocalHttpServer;
let server: PonderServe;

test.beforeAll(async () => {
  // An OpenAI-compatible server that wants a key, lists two models and llama-server's adapters.
  engine = await startOpenAiStandIn({
    key: KEY,
    models: ['qwen2.5-1.5b-instruct', 'sft'],
    adapters: [
      { id: 0, path: '/srv/adapters/sft.gguf', scale: 0 },
      { id: 1, path: '/srv/adapters/grpo.gguf', scale: 0 },
    ],
  });
  // `ponder serve` reads the key variable from its own environment.
  process.env.PONDER_E2E_ENGINE_KEY = KEY;
  try {
    server = await startPonderServe({ withModel: false });
  } finally {
    delete process.env.PONDER_E2E_ENGINE_KEY;
  }
});

test.afterAll(async () => {
  await server?.stop();
  await engine?.close();
});

test('Settings → Engine tests the connection: one line when refused, then the models and adapters', async ({
  page,
}) => {
  await page.goto(server.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const section = dialog.getByRole('group', { name: 'Engine' });
  await section.getByRole('radio', { name: 'Remote (vLLM or llama-server)' }).check();
  await section.getByLabel('Server address').fill(engine.url);
  // In the browser the key comes from `ponder serve`'s environment, and the section says so.
  await expect(section.getByTestId('engine-key')).toContainText(
    'The API key is read from the variable above, in the environment where ponder serve runs.',
  );

  const test = section.getByTestId('engine-test');
  await test.getByRole('button', { name: 'Test connection' }).click();
  const refusal = test.getByRole('alert');
  await expect(refusal).toHaveText(
    `The engine at ${engine.url} refused the API key (401). Check the key (Settings → Engine, or the variable named by --engine-key-env).`,
  );
  expect((await refusal.innerText()).split('\n')).toHaveLength(1);

  await section.getByLabel('API key variable').fill('PONDER_E2E_ENGINE_KEY');
  await test.getByRole('button', { name: 'Test connection' }).click();
  const found = test.getByRole('status');
  await expect(found).toContainText(`Connected to ${engine.url} with the key from the variable.`);
  await expect(found).toContainText('Models (2): qwen2.5-1.5b-instruct, sft');
  await expect(found).toContainText('LoRA adapters (2): 0 (sft.gguf), 1 (grpo.gguf)');
  await expect(refusal).toHaveCount(0);
  expect(engine.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  // Testing saves nothing.
  await expect(section.getByText('Engine saved.')).toHaveCount(0);
  await test.scrollIntoViewIfNeeded();
  await screenshot(page, 'engine-test-connection');
  // The key is never shown on the page.
  expect(await page.content()).not.toContain(KEY);
});
