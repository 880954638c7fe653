import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { HttpError } from './http-error';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

const forbidden = (): HttpError =>
  new HttpError(403, 'forbidden', 'That path is outside the Ponder web UI.');

/**
 * Serves the built renderer. The decoded path must stay under the folder after symlinks are resolved
 * (a realpath allow-list); `..`, encoded separators, backslashes and NUL are refused outright.
 * A path without a file extension that names no file gets index.html, so client-side routes reload.
 */
export function createStaticFiles(rootDir: string | null) {
  let realRoot: Promise<string | null> | undefined;
  const root = (): Promise<string | null> =>
    (realRoot ??= rootDir ? realpath(rootDir).catch(() => null) : Promise.resolve(null));

  return async function serveStatic(
    request: IncomingMessage,
    response: ServerResponse,
    rawPath: string,
  ): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      throw new HttpError(405, 'invalid-input', `${request.method ?? ''} is not allowed here.`, {
        headers: { Allow: 'GET, HEAD' },
      });
    }
    const base = await root();
    if (!base) {
      throw new HttpError(404, 'not-found', 'The Ponder web UI is not built.', {
        hint: 'Run `npx electron-vite build` (it writes out/renderer), then start `ponder serve` again.',
      });
    }
    const relative = safeRelativePath(rawPath);
    const file = (await resolveInside(base, relative)) ?? (await fallback(base, relative));
    const info = await stat(file);
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': String(info.size),
      // Vite names built assets by content hash; the page itself must always be fresh.
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'no-cache',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file);
      stream.once('error', reject);
      response.once('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(response);
    });
  };
}

/** Decodes the URL path into folder segments, refusing anything that could step outside. */
export function safeRelativePath(rawPath: string): string[] {
  if (/%(2f|5c|00)/i.test(rawPath) || rawPath.includes('\\') || rawPath.includes('\0')) {
    throw forbidden();
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw forbidden();
  }
  if (decoded.includes('\\') || decoded.includes('\0')) throw forbidden();
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.startsWith('..'))) throw forbidden();
  return segments;
}

/** The real path of an existing file under `base`, or undefined when there is none. */
async function resolveInside(base: string, segments: string[]): Promise<string | undefined> {
  const candidate = segments.length === 0 ? join(base, 'index.html') : join(base, ...segments);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined;
  }
  if (real !== base && !real.startsWith(base + sep)) throw forbidden();
  const info = await stat(real);
  if (info.isDirectory()) return resolveInside(base, [...segments, 'index.html']);
  return info.isFile() ? real : undefined;
}

async function fallback(base: string, segments: string[]): Promise<string> {
  const last = segments.at(-1) ?? '';
  if (extname(last) === '') {
    const index = await resolveInside(base, []);
    if (index) return index;
  }
  throw new HttpError(404, 'not-found', 'There is no such file in the Ponder web UI.');
}
