import { BrowserWindow, nativeTheme } from 'electron';
import { mainWindowOptions } from '../security/window-options';
import { hardenWebContents } from './harden-web-contents';
import { pageUrl } from './page-url';

export interface MainWindowOptions {
  preload: string;
  devServerUrl?: string;
  /** Read at close time: hide to the tray instead of quitting (the setting, and a tray exists). */
  closeToTray: () => boolean;
  quit: () => void;
  /** True once the app is really quitting, so close is not turned into hide. */
  quitting: () => boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(
    mainWindowOptions(options.preload, nativeTheme.shouldUseDarkColors),
  );
  hardenWebContents(window.webContents, options.devServerUrl);
  window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (options.quitting()) return;
    event.preventDefault();
    if (options.closeToTray()) window.hide();
    else options.quit();
  });
  void window.loadURL(pageUrl('main', options.devServerUrl));
  return window;
}
