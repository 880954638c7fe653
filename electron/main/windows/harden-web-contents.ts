import type { WebContents } from 'electron';
import { isNavigationAllowed, windowOpenDecision } from '../security/navigation-policy';

/**
 * Keeps a window on the app (SECURITY.md #8): navigation and redirects elsewhere are stopped,
 * window.open is denied, and no <webview> can be attached.
 */
export function hardenWebContents(contents: WebContents, devServerUrl?: string): void {
  const stay = (event: { preventDefault(): void }, url: string): void => {
    if (!isNavigationAllowed(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', stay);
  contents.on('will-redirect', stay);
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => windowOpenDecision());
}
