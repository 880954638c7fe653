import { app, safeStorage } from 'electron';
import type { PonderCore } from '../core/app';
import { defaultDataDir } from '../core/config';
import { registerAppScheme } from './app-protocol';
import { utilityProcessEngineFactory } from './model-process';
import { openPonderCore, reportStartFailure } from './open-ponder-core';
import type { DesktopApp } from './desktop-app';
import { startDesktopApp } from './desktop-app';
import { resourcePaths } from './resource-paths';
import { createEngineKeyStore } from './secrets/engine-key-store';

/** Set by electron-vite while developing; the app then loads the dev server instead of app://. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

registerAppScheme();

// Under Wayland, global shortcuts go through the desktop's GlobalShortcuts portal, which Electron
// uses only when asked (https://electronjs.org/docs/api/global-shortcut, electron/electron#38288).
if (process.platform === 'linux')
  app.commandLine.appendSwitch('enable-features', 'GlobalShortcutsPortal');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let core: PonderCore | undefined;
  let desktop: DesktopApp | undefined;

  app.on('second-instance', (_event, argv) => {
    if (argv.includes('--quick-ask')) desktop?.toggleQuickAsk();
    else desktop?.showMain();
  });

  // Closing the main window either hides it to the tray or quits (main-window.ts decides).
  app.on('window-all-closed', () => app.quit());

  app.on('activate', () => desktop?.showMain());

  app.on('before-quit', () => desktop?.beginQuit());

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void (async () => {
      await desktop?.dispose();
      await core?.dispose();
      app.exit(0);
    })();
  });

  app
    .whenReady()
    .then(async () => {
      // The remote engine's API key, encrypted by the OS keychain (safeStorage works once ready).
      const engineKeys = createEngineKeyStore(defaultDataDir(process.env), safeStorage);
      // Loading starts now, in the model's own process, so the first question does not wait for it.
      // A damaged history is recovered only if the person chooses Recover in the dialog.
      core = await openPonderCore({
        engineFactory: utilityProcessEngineFactory(import.meta.dirname),
        preload: true,
        remoteEngineKey: () => engineKeys.get(),
      });
      const paths = resourcePaths({
        mainDir: import.meta.dirname,
        packaged: app.isPackaged,
        resourcesPath: process.resourcesPath,
      });
      desktop = startDesktopApp({
        core,
        preload: paths.preload,
        bundle: paths.bundle,
        trayIcon: paths.trayIcon,
        engineKeys,
        ...(devServerUrl ? { devServerUrl } : {}),
      });
      if (process.argv.includes('--quick-ask')) desktop.toggleQuickAsk();
      if (process.env.PONDER_E2E === '1') {
        // The Electron end-to-end suite drives the shortcut handler and the tray menu through this.
        Object.assign(globalThis, { ponderE2E: desktop });
      }
    })
    .catch((error: unknown) => {
      app.exit(reportStartFailure(error));
    });
}
