import { isAppUrl } from './app-origin';

/**
 * `will-navigate` / `will-redirect` / `will-frame-navigate`: a window may only move within the app
 * (SECURITY.md #8). Links to the web are opened by the renderer through openExternal, on click.
 */
export function isNavigationAllowed(targetUrl: string, devServerUrl?: string): boolean {
  return isAppUrl(targetUrl, devServerUrl);
}

/** `setWindowOpenHandler`: the app never opens windows for a page; main creates its own. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}
