import { realpathSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

export type BundleLookup =
  { status: 200; file: string; mimeType: string } | { status: 403 | 404; reason: string };

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const inside = (root: string, target: string): boolean => {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(sep));
};

const hasTraversal = (rawPath: string): boolean =>
  rawPath
    .replace(/%2e/gi, '.')
    .replace(/%2f|%5c|\\/gi, '/')
    .split('/')
    .some((segment) => segment === '..' || segment === '.');

/**
 * Maps an `app://ponder/...` request to a file of the renderer bundle, or refuses it
 * (SECURITY.md #11). The decoded path must stay inside the bundle, and so must its realpath (a
 * symlink out of the bundle is refused too). `realpath` is injectable for tests only.
 */
export function resolveBundlePath(
  requestUrl: string,
  bundleRoot: string,
  realpath: (path: string) => string = realpathSync,
): BundleLookup {
  // URL parsing would silently collapse `..`; a request that tries it is refused, not rewritten.
  if (hasTraversal(requestUrl.split(/[?#]/)[0] ?? '')) return { status: 403, reason: 'traversal' };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 403, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { status: 403, reason: 'foreign origin' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { status: 403, reason: 'malformed escape' };
  }
  // Backslashes are separators on Windows, and a second decode pass must not reveal a traversal.
  if (
    /[\\\0]/.test(pathname) ||
    /%2e|%2f|%5c/i.test(pathname) ||
    pathname.split('/').includes('..')
  ) {
    return { status: 403, reason: 'traversal' };
  }
  const wanted = pathname === '/' || pathname === '' ? '/index.html' : pathname;
  const root = resolve(bundleRoot);
  const candidate = resolve(root, `.${wanted}`);
  if (!inside(root, candidate)) return { status: 403, reason: 'outside the bundle' };

  let realRoot: string;
  let realFile: string;
  try {
    realRoot = realpath(root);
    realFile = realpath(candidate);
  } catch {
    return { status: 404, reason: 'no such file' };
  }
  if (!inside(realRoot, realFile)) return { status: 403, reason: 'link out of the bundle' };
  const mimeType = MIME_TYPES[extname(realFile).toLowerCase()];
  if (!mimeType) return { status: 403, reason: 'file type not served' };
  return { status: 200, file: realFile, mimeType };
}
