import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared';
import { APP_SCHEME } from './security/app-origin';
import { resolveBundlePath } from './security/protocol-path';

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
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
