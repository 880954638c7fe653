/** The privileged scheme the bundle is served from; `app://ponder/index.html` is the main window. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'ponder';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** URL of a page in the bundle; the hash picks the view (`#/quick` is the quick-ask window). */
export function appPageUrl(hash = ''): string {
  return `${APP_ORIGIN}/index.html${hash ? `#${hash.replace(/^#/, '')}` : ''}`;
}

/**
 * Whether a URL belongs to the app: the app:// origin, or (only when given) the dev server's origin.
 * Node's URL gives custom schemes the origin "null", so scheme and host are compared directly.
 */
export function isAppUrl(raw: string, devServerUrl?: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (
    url.protocol === `${APP_SCHEME}:` &&
    url.host === APP_HOST &&
    !url.username &&
    !url.password
  ) {
    return true;
  }
  if (!devServerUrl) return false;
  try {
    return url.origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
