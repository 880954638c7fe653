import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BRIDGE_METHODS, DESKTOP_CHANNELS, IPC_CHANNELS } from '../../electron/shared';
import type { Result } from '../../electron/shared';
import { createPonderCore } from '../../electron/core/app';
import type { PonderCore } from '../../electron/core/app';
import { startOpenAiStandIn } from '../../electron/core/llm/remote/testing/openai-stand-in';
import type { LocalHttpServer } from '../../electron/core/llm/remote/testing/start-http-server';
import { createIpcHandlers } from '../../electron/main/ipc/ipc-handlers';
import { createEngineKeyStore, engineKeyFile } from '../../electron/main/secrets/engine-key-store';
import { fakeSafeStorage } from '../../electron/main/secrets/testing/fake-safe-storage';
import type { PonderServe } from '../support/ponder-serve';
import { startPonderServe } from '../support/ponder-serve';
import { screenshot } from '../support/screenshot';
import { quietDesktop } from '../../electron/main/ipc/testing/quiet-desktop';

/**
 * Settings → Engine as the desktop app shows it: the page gets a `window.ponder` bridge whose calls
 * go to main's real IPC handlers, over a real core, running in this process (a stand-in for
 * Electron's safeStorage holds the key). `ponder serve` only serves the built UI.
 */
const KEY = 'desktop-engine-key-97531';
const desktop = quietDesktop;

let engine: LocalHttpServer;
let ui: PonderServe;
let dataDir: string;
let core: PonderCore;

test.beforeAll(async () => {
  engine = await startOpenAiStandIn({
    key: KEY,
    models: ['qwen2.5-1.5b-instruct'],
    adapters: [
      { id: 0, path: '/srv/adapters/sft.gguf', scale: 0 },
      { id: 1, path: '/srv/adapters/grpo.gguf', scale: 0 },
    ],
  });
  ui = await startPonderServe({ withModel: false });
  dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-desktop-key-'));
  core = await createPonderCore({ flags: { dataDir }, env: {}, memory: false });
});

test.afterAll(async () => {
  await core?.dispose();
  await ui?.stop();
  await engine?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the UI with a desktop bridge over `handlers`, and Settings → Engine set to remote. */
async function openEngineSettings(
  page: Page,
  handlers: ReturnType<typeof createIpcHandlers>,
): Promise<ReturnType<Page['getByRole']>> {
  const channels: Record<string, string> = {};
  for (const name of BRIDGE_METHODS) {
    const channel =
      (IPC_CHANNELS as Record<string, string>)[name] ??
      (DESKTOP_CHANNELS as Record<string, string>)[name];
    if (channel && !['ask', 'downloadModel', 'importAdapter', 'onNotice'].includes(name)) {
      channels[name] = channel;
    }
  }
  await page.exposeFunction(
    'ponderInvoke',
    async (channel: string, args: unknown[]): Promise<Result<unknown>> => {
      const handler = handlers.invoke[channel];
      if (!handler) return { ok: false, error: { code: 'internal', message: `No ${channel}.` } };
      return handler({ id: 1, send: () => {}, isGone: () => false }, args);
    },
  );
  await page.addInitScript((names: Record<string, string>) => {
    const invoke = (channel: string, args: unknown[]): Promise<unknown> =>
      (
        window as unknown as { ponderInvoke: (c: string, a: unknown[]) => Promise<unknown> }
      ).ponderInvoke(channel, args);
    const bridge: Record<string, unknown> = {
      onNotice: () => () => {},
    };
    for (const [name, channel] of Object.entries(names)) {
      bridge[name] = (...args: unknown[]) => invoke(channel, args);
    }
    Object.defineProperty(window, 'ponder', { value: Object.freeze(bridge) });
  }, channels);
  await page.goto(ui.url);
  await page.getByRole('button', { name: 'Settings' }).click();
  const section = page.getByRole('dialog', { name: 'Settings' }).getByRole('group', {
    name: 'Engine',
  });
  await section.getByRole('radio', { name: 'Remote (vLLM or llama-server)' }).check();
  await section.getByLabel('Server address').fill(engine.url);
  return section;
}

test('Settings → Engine in the desktop app saves the key in the keychain and tests with it', async ({
  page,
}) => {
  const keys = createEngineKeyStore(dataDir, fakeSafeStorage({ backend: 'gnome_libsecret' }));
  const section = await openEngineSettings(page, createIpcHandlers(core, desktop, keys));
  const keyPart = section.getByTestId('engine-key');
  await expect(keyPart.getByRole('status')).toHaveText('No key is saved.');

  const check = section.getByTestId('engine-test');
  await check.getByRole('button', { name: 'Test connection' }).click();
  await expect(check.getByRole('alert')).toContainText(
    `The engine at ${engine.url} refused the API key (401).`,
  );

  const field = keyPart.getByLabel('API key (kept encrypted by the OS keychain)');
  await field.fill(KEY);
  await expect(keyPart.getByRole('button', { name: 'Save key' })).toBeEnabled();
  // Enter in the key field saves the key only, not the settings form around it.
  await field.press('Enter');
  await expect(keyPart.getByRole('status')).toHaveText(
    'A key is saved, encrypted by the OS keychain.',
  );
  await expect(field).toHaveValue('');
  await expect(keyPart.getByRole('button', { name: 'Save key' })).toBeDisabled();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByText('Saved.')).toHaveCount(0);
  // Saved encrypted in the data folder, nowhere in plain text.
  expect(readFileSync(engineKeyFile(dataDir)).toString('latin1')).not.toContain(KEY);
  expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain(KEY);

  await check.getByRole('button', { name: 'Test connection' }).click();
  const found = check.getByRole('status');
  await expect(found).toContainText(
    `Connected to ${engine.url} with the key saved in the keychain.`,
  );
  await expect(found).toContainText('Models (1): qwen2.5-1.5b-instruct');
  await expect(found).toContainText('LoRA adapters (2): 0 (sft.gguf), 1 (grpo.gguf)');
  expect(engine.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  expect(await page.content()).not.toContain(KEY);
  await section.scrollIntoViewIfNeeded();
  await keyPart.scrollIntoViewIfNeeded();
  await screenshot(page, 'engine-key-desktop');

  await keyPart.getByRole('button', { name: 'Forget key' }).click();
  await expect(keyPart.getByRole('status')).toHaveText('No key is saved.');
  expect(existsSync(engineKeyFile(dataDir))).toBe(false);
});

test('where the keychain cannot encrypt, Settings → Engine says so and offers no key field', async ({
  page,
}) => {
  const keys = createEngineKeyStore(dataDir, fakeSafeStorage({ backend: 'basic_text' }));
  const section = await openEngineSettings(page, createIpcHandlers(core, desktop, keys));
  const keyPart = section.getByTestId('engine-key');
  await expect(keyPart).toContainText(
    "The API key cannot be kept in the OS keychain here. No Secret Service or KWallet keychain was found, and Electron's fallback encrypts with a fixed password. Name an environment variable that holds it above instead.",
  );
  await expect(keyPart.locator('input')).toHaveCount(0);
  await expect(section.getByLabel('API key variable')).toBeVisible();
  await keyPart.scrollIntoViewIfNeeded();
  await screenshot(page, 'engine-key-no-keychain');
});
