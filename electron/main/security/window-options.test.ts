import { describe, expect, it } from 'vitest';
import { mainWindowOptions, quickAskWindowOptions } from './window-options';

describe('window options (SECURITY.md #1)', () => {
  it.each([
    ['main', mainWindowOptions('/app/preload/index.cjs', false)],
    ['quick ask', quickAskWindowOptions('/app/preload/index.cjs', true)],
  ])('the %s window has no Node, isolated context, sandbox', (_name, options) => {
    expect(options.webPreferences).toMatchObject({
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      contextIsolation: true,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload/index.cjs',
    });
    expect(options.show).toBe(false);
  });

  it('the quick-ask window is a small frameless always-on-top popup', () => {
    const options = quickAskWindowOptions('/p.cjs', false);
    expect(options).toMatchObject({ frame: false, alwaysOnTop: true, skipTaskbar: true });
    expect(options.width).toBeLessThan(mainWindowOptions('/p.cjs', false).width);
  });
});
