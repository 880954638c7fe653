/**
 * The Content-Security-Policy of every Ponder page (SECURITY.md #6), sent by `ponder serve` and by the
 * desktop app's app:// protocol: only the page's own scripts, styles and images, connections only to
 * where the page came from, no plugins, frames or form posts. renderer/index.html repeats it as a
 * meta tag for pages opened from disk.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
