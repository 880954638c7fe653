import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { PonderError } from '../../errors';
import { isBlockedAddress } from './ip-policy';

export interface SafeFetchOptions {
  /** Hosts (`name` or `name:port`) that may be private addresses; empty by default. */
  allowPrivateHosts?: readonly string[];
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
  accept?: string;
}

export interface FetchedPage {
  /** The URL after redirects. */
  url: string;
  status: number;
  contentType: string;
  body: string;
}

const USER_AGENT = 'Mozilla/5.0 (compatible; Ponder/0.1; +local assistant)';

/**
 * Whether a refusal is of a private or loopback host (a literal address, or a name that resolves
 * to one): the kind an allow-list entry lets through, so a caller can say how to allow it.
 */
export function isPrivateHostRefusal(reason: string): boolean {
  return /: it (is a private or local|resolves to a private) address\b/.test(reason);
}

function refused(message: string): PonderError {
  return new PonderError('fetch-refused', message, {
    hint: 'Pages on private or local addresses are read only when their host is in the allow-list setting.',
  });
}

function isAllowed(url: URL, allow: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allow.some((entry) => {
    const e = entry.toLowerCase().replace(/^\[|\]$/g, '');
    return e === host || e === `${host}:${port}` || e === `[${host}]:${port}`;
  });
}

/** A DNS lookup that refuses to hand out blocked addresses, so the check covers the address used. */
function guardedLookup(): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(
      hostname,
      { all: true, family: options.family ?? 0 },
      (error, addresses: LookupAddress[]) => {
        if (error) return callback(error, '', 0);
        const blocked = addresses.find((a) => isBlockedAddress(a.address));
        if (blocked || addresses.length === 0) {
          return callback(
            refused(
              `Refused to read ${hostname}: it resolves to a private address (${blocked?.address ?? 'none'}).`,
            ),
            '',
            0,
          );
        }
        if (options.all)
          return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        const first = addresses[0] as LookupAddress;
        callback(null, first.address, first.family);
      },
    );
  };
}

function decoded(response: IncomingMessage): Readable {
  switch ((response.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
      return response.pipe(createGunzip());
    case 'deflate':
      return response.pipe(createInflate());
    case 'br':
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

function charsetOf(contentType: string): string {
  const match = /charset=["']?([\w-]+)/i.exec(contentType);
  try {
    return new TextDecoder(match?.[1] ?? 'utf-8').encoding;
  } catch {
    return 'utf-8';
  }
}

interface Hop {
  status: number;
  location?: string;
  page?: FetchedPage;
}

function requestOnce(url: URL, options: SafeFetchOptions, allowed: boolean): Promise<Hop> {
  const maxBytes = options.maxBytes ?? 2_000_000;
  return new Promise<Hop>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(url, {
      method: 'GET',
      headers: {
        'user-agent': USER_AGENT,
        accept: options.accept ?? 'text/html,application/xhtml+xml,text/plain;q=0.9',
        'accept-encoding': 'gzip, deflate, br',
      },
      ...(allowed ? {} : { lookup: guardedLookup() }),
      signal: options.signal,
    });
    request.on('error', (error) => reject(error instanceof PonderError ? error : error));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        return resolve({ status, location: response.headers.location });
      }
      const contentType = String(response.headers['content-type'] ?? '');
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        response.destroy();
        return reject(
          new PonderError(
            'payload-too-large',
            `The page at ${url.host} is larger than ${maxBytes} bytes.`,
          ),
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const body = decoded(response);
      body.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          response.destroy();
          body.destroy();
          reject(
            new PonderError(
              'payload-too-large',
              `The page at ${url.host} is larger than ${maxBytes} bytes.`,
            ),
          );
        } else chunks.push(chunk);
      });
      body.on('error', reject);
      body.on('end', () => {
        const text = new TextDecoder(charsetOf(contentType)).decode(Buffer.concat(chunks));
        resolve({ status, page: { url: url.href, status, contentType, body: text } });
      });
    });
    request.end();
  });
}

/**
 * GET a web page with the SSRF guard: http/https only, every hop's address checked after DNS
 * (unless its host is in the allow-list), redirects followed by hand so each is re-checked, and
 * a time limit and size cap. Fails with `fetch-refused` for a guarded address.
 */
export async function safeFetch(
  input: string,
  options: SafeFetchOptions = {},
): Promise<FetchedPage> {
  const timeoutMs = options.timeoutMs ?? 8000;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const hopOptions = { ...options, signal };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw refused(`Refused to read "${input.slice(0, 80)}": not a valid URL.`);
  }
  const maxRedirects = options.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw refused(`Refused to read ${url.protocol} URLs: only http and https pages are read.`);
    }
    const allowed = isAllowed(url, options.allowPrivateHosts ?? []);
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    // Literal addresses never go through DNS, so the lookup guard would not see them.
    if (!allowed && isIP(literal) && isBlockedAddress(literal)) {
      throw refused(`Refused to read ${url.host}: it is a private or local address.`);
    }
    let result: Hop;
    try {
      result = await requestOnce(url, hopOptions, allowed);
    } catch (error) {
      if (error instanceof PonderError) throw error;
      if (options.signal?.aborted) throw new PonderError('cancelled', 'Cancelled.');
      if (timeout.aborted)
        throw new PonderError(
          'search-failed',
          `Reading ${url.host} took longer than ${timeoutMs} ms.`,
        );
      const reason = error instanceof Error ? error.message : String(error);
      throw new PonderError('search-failed', `Could not read ${url.host}: ${reason}`);
    }
    if (result.page) return result.page;
    if (hop >= maxRedirects)
      throw new PonderError('search-failed', `Too many redirects from ${input.slice(0, 80)}.`);
    url = new URL(result.location ?? '', url);
  }
}
