/// <reference lib="dom" />
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { BRIDGE_METHODS } from '../../electron/shared';
import { fixturePaths } from '../../models/fixtures';
import { ROOT } from '../support/paths';
import { ANSWER_TIMEOUT } from '../support/timeouts';

/** Electron's binary, when `node_modules/electron/install.js` could fetch it; null otherwise. */
function electronBinary(): string | null {
  const dir = join(ROOT, 'node_modules', 'electron');
  try {
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const full = join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(dir, 'dist'), relative);
    return existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const NOT_RUN =
  "The Electron suite did not run: Electron's binary is not installed (node_modules/electron/install.js could not fetch it). Run `node node_modules/electron/install.js` where the network allows, then `npx playwright test --project electron`.";
if (!binary) console.warn(`\n${NOT_RUN}\n`);

/** What main exposes to this suite when PONDER_E2E=1 (see electron/main/index.ts). */
interface DesktopHooks {
  toggleQuickAsk(): void;
  webPreferences(): Record<string, unknown>[];
  tray(): { template(): { id?: string; checked?: boolean; click?: () => void }[] } | undefined;
}

test.describe('desktop app', () => {
  test.skip(!binary, NOT_RUN);
  test.describe.configure({ mode: 'serial' });

  let app: ElectronApplication;
  let main: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'ponder-e2e-electron-'));

  test.beforeAll(async () => {
    app = await electron.launch({
      args: [ROOT, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: {
        ...process.env,
        PONDER_E2E: '1',
        PONDER_DATA_DIR: dataDir,
        PONDER_MODEL: fixturePaths.base,
        PONDER_SFT: fixturePaths.sft,
        PONDER_GRPO: fixturePaths.grpo,
      },
    });
    main = await app.firstWindow();
    await main.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the main window serves the bundle from app:// with no Node in the page', async () => {
    expect(main.url()).toMatch(/^app:\/\/ponder\/index\.html/);
    await expect(main.getByRole('radiogroup', { name: 'Answer mode' })).toBeVisible();
    expect(
      await main.evaluate(() => typeof (window as unknown as { require?: unknown }).require),
    ).toBe('undefined');
    expect(
      await main.evaluate(() => typeof (window as unknown as { process?: unknown }).process),
    ).toBe('undefined');
    const exposed = await main.evaluate(() =>
      Object.keys((window as unknown as { ponder: object }).ponder),
    );
    expect(exposed.sort()).toEqual([...BRIDGE_METHODS].sort());
  });

  test('every window is sandboxed, isolated and without Node integration', async () => {
    const preferences = await app.evaluate(() =>
      (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E.webPreferences(),
    );
    expect(preferences.length).toBeGreaterThan(0);
    for (const webPreferences of preferences) {
      expect(webPreferences).toMatchObject({
        nodeIntegration: false,
        contextIsolation: true,
        sandbox: true,
      });
    }
  });

  test('a page cannot navigate the window away from the app, nor open windows', async () => {
    await main.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await main.waitForTimeout(500);
    expect(main.url()).toMatch(/^app:\/\/ponder\//);
    expect(await main.evaluate(() => window.open('https://example.com/'))).toBeNull();
  });

  test('the quick-ask shortcut opens the popup, answers in place and Esc hides it', async () => {
    const popup = app.waitForEvent('window', (page) => page.url().includes('#/quick'));
    await app.evaluate(() =>
      (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E.toggleQuickAsk(),
    );
    const quick = await popup;
    await quick.getByLabel('Quick question').fill('What is two plus two?');
    await quick.getByLabel('Quick question').press('Enter');
    await expect(quick.locator('article.answer')).toHaveAttribute(
      'data-status',
      'complete',
      ANSWER_TIMEOUT,
    );
    await expect(quick.getByRole('button', { name: 'Open in Ponder' })).toBeEnabled();
    await quick.keyboard.press('Escape');
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) =>
          BrowserWindow.getAllWindows().some(
            (w) => w.webContents.getURL().includes('#/quick') && w.isVisible(),
          ),
        ),
      )
      .toBe(false);
  });

  test("the tray menu's mode switch sets the window's mode", async () => {
    await app.evaluate(() => {
      const hooks = (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E;
      hooks
        .tray()
        ?.template()
        .find((item) => item.id === 'mode-search')
        ?.click?.();
    });
    await expect(main.getByRole('radio', { name: 'Search' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    const checked = await app.evaluate(() =>
      (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E
        .tray()
        ?.template()
        .filter((item) => item.checked)
        .map((item) => item.id),
    );
    expect(checked).toEqual(['mode-search']);
  });

  test("the tray's Deep Search item sets Search, deep, in the window", async () => {
    await app.evaluate(() => {
      const hooks = (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E;
      hooks
        .tray()
        ?.template()
        .find((item) => item.id === 'mode-deep-search')
        ?.click?.();
    });
    await expect(main.getByRole('radio', { name: 'Search' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    await expect(main.getByRole('button', { name: 'Deep', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const checked = await app.evaluate(() =>
      (globalThis as unknown as { ponderE2E: DesktopHooks }).ponderE2E
        .tray()
        ?.template()
        .filter((item) => item.checked)
        .map((item) => item.id),
    );
    expect(checked).toEqual(['mode-deep-search']);
  });
});
