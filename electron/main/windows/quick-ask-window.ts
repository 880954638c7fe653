import { BrowserWindow, nativeTheme, screen } from 'electron';
import { quickAskWindowOptions } from '../security/window-options';
import { hardenWebContents } from './harden-web-contents';
import { pageUrl } from './page-url';

/** Where the popup goes: centred horizontally, a fifth of the way down the screen with the pointer. */
export function quickAskBounds(
  workArea: { x: number; y: number; width: number; height: number },
  size: { width: number; height: number },
): { x: number; y: number } {
  return {
    x: Math.round(workArea.x + (workArea.width - size.width) / 2),
    y: Math.round(workArea.y + workArea.height / 5),
  };
}

/** The small frameless popup; created hidden once and shown on the shortcut. */
export function createQuickAskWindow(preload: string, devServerUrl?: string): BrowserWindow {
  const window = new BrowserWindow(quickAskWindowOptions(preload, nativeTheme.shouldUseDarkColors));
  hardenWebContents(window.webContents, devServerUrl);
  // Losing focus hides it, like a launcher.
  window.on('blur', () => {
    if (!window.webContents.isDevToolsOpened()) window.hide();
  });
  void window.loadURL(pageUrl('quick', devServerUrl));
  return window;
}

/** Shows the popup on the screen that has the pointer (the "active" screen). */
export function showQuickAsk(window: BrowserWindow): void {
  const display = screen.getDisplayNearestPoint(screen.getCursorScreenPoint());
  const [width = 680, height = 420] = window.getSize();
  const { x, y } = quickAskBounds(display.workArea, { width, height });
  window.setPosition(x, y);
  window.show();
  window.focus();
}
