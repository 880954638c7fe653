import type { BrowserWindow } from 'electron';
import { app, dialog, session, shell } from 'electron';
import type { DesktopNotice, Mode, PickFileKind, SearchDepth } from '../shared';
import { DESKTOP_CHANNELS } from '../shared';
import type { PonderCore } from '../core/app';
import { serveBundle } from './app-protocol';
import type { DesktopHost } from './ipc/ipc-handlers';
import { createIpcHandlers } from './ipc/ipc-handlers';
import type { EngineKeyStore } from './secrets/engine-key-store';
import { registerIpc } from './ipc/register-ipc';
import { denyAllPermissions } from './security/permission-policy';
import { mainWindowOptions, quickAskWindowOptions } from './security/window-options';
import { createQuickAskShortcut } from './shortcut/quick-ask-shortcut';
import type { PonderTray } from './tray/create-tray';
import { createTray } from './tray/create-tray';
import { createMainWindow } from './windows/main-window';
import { createQuickAskWindow, showQuickAsk } from './windows/quick-ask-window';

export interface DesktopAppOptions {
  core: PonderCore;
  preload: string;
  bundle: string;
  trayIcon: string;
  devServerUrl?: string;
  /** The remote engine's API key in the OS keychain (Settings → Engine). */
  engineKeys?: EngineKeyStore;
}

const PICK_FILTERS: Record<PickFileKind, { title: string; name: string }> = {
  model: { title: 'Choose a GGUF model', name: 'GGUF model' },
  adapter: { title: 'Choose a GGUF LoRA adapter', name: 'GGUF LoRA adapter' },
};

/**
 * The desktop shell around one PonderCore: windows, tray, shortcut and IPC. Everything it creates
 * is released by dispose(), in reverse order.
 */
export function startDesktopApp(options: DesktopAppOptions) {
  const { core } = options;
  let quitting = false;
  let mainWindow: BrowserWindow | undefined;
  let quickWindow: BrowserWindow | undefined;
  let tray: PonderTray | undefined;

  denyAllPermissions(session.defaultSession);
  if (!options.devServerUrl) serveBundle(options.bundle);

  const windows = (): BrowserWindow[] =>
    [mainWindow, quickWindow].filter((w): w is BrowserWindow => !!w && !w.isDestroyed());
  const notify = (notice: DesktopNotice): void => {
    for (const window of windows()) window.webContents.send(DESKTOP_CHANNELS.notice, notice);
  };

  const showMain = (): BrowserWindow => {
    if (!mainWindow || mainWindow.isDestroyed()) {
      mainWindow = createMainWindow({
        preload: options.preload,
        ...(options.devServerUrl ? { devServerUrl: options.devServerUrl } : {}),
        closeToTray: () => core.settings.get().closeToTray && tray !== undefined,
        quit: () => app.quit(),
        quitting: () => quitting,
      });
      mainWindow.on('show', () => tray?.refresh());
      mainWindow.on('hide', () => tray?.refresh());
      const id = mainWindow.webContents.id;
      mainWindow.on('closed', () => handlers.abandon(id));
    } else {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    }
    return mainWindow;
  };

  const toggleQuickAsk = (): void => {
    if (!quickWindow || quickWindow.isDestroyed()) {
      quickWindow = createQuickAskWindow(options.preload, options.devServerUrl);
      const window = quickWindow;
      const id = window.webContents.id;
      window.on('closed', () => handlers.abandon(id));
      window.once('ready-to-show', () => {
        showQuickAsk(window);
        notify({ type: 'quick-ask-shown' });
      });
      return;
    }
    if (quickWindow.isVisible() && quickWindow.isFocused()) {
      quickWindow.hide();
      return;
    }
    showQuickAsk(quickWindow);
    notify({ type: 'quick-ask-shown' });
  };

  const shortcut = createQuickAskShortcut(toggleQuickAsk);

  // Deep Search is picked from the tray for this run of the app; the mode itself is a setting.
  let searchDepth: SearchDepth = 'quick';
  const setMode = (mode: Mode, depth: SearchDepth = 'quick'): void => {
    searchDepth = depth;
    if (core.settings.get().defaultMode !== mode) core.settings.update({ defaultMode: mode });
    tray?.refresh();
    notify({ type: 'mode-changed', mode, depth });
  };

  const desktop: DesktopHost = {
    async pickFile(senderId, kind) {
      const owner = windows().find((window) => window.webContents.id === senderId);
      const { title, name } = PICK_FILTERS[kind];
      const dialogOptions = {
        title,
        properties: ['openFile' as const],
        filters: [
          { name, extensions: ['gguf'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const result = owner
        ? await dialog.showOpenDialog(owner, dialogOptions)
        : await dialog.showOpenDialog(dialogOptions);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    shortcutStatus: () => shortcut.status(),
    settingsChanged() {
      shortcut.register(core.settings.get().quickAskShortcut);
      tray?.refresh();
      notify({ type: 'mode-changed', mode: core.settings.get().defaultMode, depth: searchDepth });
    },
    setDefaultMode: (mode) => setMode(mode),
    hideQuickAsk: () => quickWindow?.hide(),
    openInMain(conversationId) {
      quickWindow?.hide();
      const window = showMain();
      const send = (): void => notify({ type: 'open-conversation', conversationId });
      if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
      else send();
    },
    openExternal: (url) => shell.openExternal(url),
  };

  const handlers = createIpcHandlers(core, desktop, options.engineKeys);
  const unregisterIpc = registerIpc(
    handlers,
    () => new Set(windows().map((window) => window.webContents.id)),
    options.devServerUrl,
  );

  showMain();
  shortcut.register(core.settings.get().quickAskShortcut);
  try {
    tray = createTray(
      options.trayIcon,
      () => ({
        mode: core.settings.get().defaultMode,
        depth: searchDepth,
        windowVisible: !!mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible(),
        quickAskAccelerator: shortcut.status().registered ? shortcut.status().accelerator : null,
      }),
      {
        setMode,
        quickAsk: toggleQuickAsk,
        toggleWindow: () => {
          if (mainWindow && !mainWindow.isDestroyed() && mainWindow.isVisible()) mainWindow.hide();
          else showMain();
        },
        quit: () => app.quit(),
      },
    );
  } catch {
    // Some Linux desktops have no status area; Ponder then simply closes instead of hiding.
    tray = undefined;
  }

  return {
    showMain,
    toggleQuickAsk,
    setMode,
    tray: () => tray,
    windows,
    /** The webPreferences each open window was created with (Electron has no getter for them). */
    webPreferences: () =>
      windows().map((window) => ({
        url: window.webContents.getURL(),
        ...(window === quickWindow
          ? quickAskWindowOptions(options.preload, false)
          : mainWindowOptions(options.preload, false)
        ).webPreferences,
      })),
    hasTray: () => tray !== undefined,
    beginQuit(): void {
      quitting = true;
    },
    async dispose(): Promise<void> {
      quitting = true;
      shortcut.dispose();
      tray?.dispose();
      unregisterIpc();
      handlers.dispose();
      for (const window of windows()) window.destroy();
    },
  };
}

export type DesktopApp = ReturnType<typeof startDesktopApp>;
