import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

/** A fresh bearer token: 32 random bytes, URL-safe so it fits a URL fragment unescaped. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

/** The `Host` header values this server answers to. Anything else is DNS rebinding (SECURITY.md #15). */
export function allowedHostHeaders(port: number, bindHost: string): Set<string> {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!isLoopbackHost(bindHost) && bindHost !== '0.0.0.0' && bindHost !== '::') {
    hosts.add(`${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`.toLowerCase());
  }
  return hosts;
}

export interface GuardOptions {
  allowedHosts: ReadonlySet<string>;
  token: string;
}

/**
 * Refuses requests that a web page could have made: a foreign Host (DNS rebinding) and a foreign
 * Origin (CSRF) are 403 on every route. Non-browser clients send no Origin and pass this check.
 */
export function checkHostAndOrigin(request: IncomingMessage, options: GuardOptions): void {
  const host = request.headers.host?.toLowerCase();
  if (!host || !options.allowedHosts.has(host)) {
    throw new HttpError(403, 'forbidden', 'This Host is not allowed.', {
      hint: 'Open Ponder at http://127.0.0.1:PORT or http://localhost:PORT.',
    });
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    throw new HttpError(403, 'forbidden', 'Requests from other web sites are not allowed.', {
      hint: 'Only the Ponder page served by this server may call its API.',
    });
  }
}

/**
 * Browsers mark requests a foreign page triggered; refuse those on the API even without an Origin
 * header (a cross-site form or image load).
 */
export function checkFetchSite(request: IncomingMessage): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    throw new HttpError(403, 'forbidden', 'Requests from other web sites are not allowed.', {
      hint: 'Only the Ponder page served by this server may call its API.',
    });
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Bearer-token check in constant time: both sides are hashed so their lengths never leak. */
export function checkBearerToken(request: IncomingMessage, token: string): void {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const given = match?.[1] ?? '';
  const same = timingSafeEqual(digest(given), digest(token));
  if (!match || !same) {
    throw new HttpError(
      401,
      'unauthorized',
      match ? 'The token is wrong.' : 'A bearer token is required.',
      {
        hint: 'Send "Authorization: Bearer TOKEN" with the token `ponder serve` printed.',
        headers: { 'WWW-Authenticate': 'Bearer realm="ponder"' },
      },
    );
  }
}
