import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { APP_SCHEME } from './security/app-origin';
import { resolveBundlePath } from './security/protocol-path';

/** The CSP of every app page (SECURITY.md #6); index.html carries the same policy as a meta tag. */
export const APP_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

/** Must run before `app.whenReady()`: app:// behaves like https (secure, standard, fetch-able). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the renderer bundle, and only it, on app://ponder/ (SECURITY.md #11). */
export function serveBundle(bundleRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const lookup = resolveBundlePath(request.url, bundleRoot);
    if (lookup.status !== 200) {
      return new Response(lookup.status === 404 ? 'Not found' : 'Forbidden', {
        status: lookup.status,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const body = await readFile(lookup.file);
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': lookup.mimeType,
        'Content-Security-Policy': APP_CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
