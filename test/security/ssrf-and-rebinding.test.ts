import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOOPBACK_URL_HOSTS,
  REBINDING_HOST_HEADERS,
} from '../../electron/core/security/corpus/loopback-spellings';
import { safeFetch } from '../../electron/core/rag';
import { send, startLocalHttpServer } from '../../electron/core/rag/testing/local-http-server';
import type { LocalHttpServer } from '../../electron/core/rag/testing/local-http-server';
import { rawRequest } from '../../electron/core/server/testing/http-client';
import { startTestServer } from '../../electron/core/server/testing/start-test-server';
import type { TestServer } from '../../electron/core/server/testing/start-test-server';

let internal: LocalHttpServer;
let site: LocalHttpServer;

beforeAll(async () => {
  internal = await startLocalHttpServer((_request, response) =>
    send(response, 200, 'internal admin secret'),
  );
  // An allow-listed page that redirects wherever `?to=` says, as a hostile search result would.
  site = await startLocalHttpServer((_request, response, url) => {
    response.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
    response.end();
  });
});

afterAll(async () => {
  await site?.close();
  await internal?.close();
});

describe('page reading never reaches this machine, however it is spelled (SECURITY 14)', () => {
  const urls = LOOPBACK_URL_HOSTS.map((host) => `http://${host}/admin`);

  it.each(urls)('refuses %s directly and as a redirect target', async (template) => {
    const target = template.replace('PORT', String(internal.port));
    const direct = await safeFetch(target, { timeoutMs: 3_000 }).catch((error: unknown) => error);
    const redirected = await safeFetch(`${site.origin}/?to=${encodeURIComponent(target)}`, {
      allowPrivateHosts: [site.host],
      timeoutMs: 3_000,
    }).catch((error: unknown) => error);
    for (const outcome of [direct, redirected]) {
      // Refused by the guard, or (for names this machine cannot resolve) failed; never read.
      expect(outcome).toMatchObject({
        code: expect.stringMatching(/^(fetch-refused|search-failed)$/),
      });
    }
    expect(internal.requests).toEqual([]);
  });
});

/** One request over a raw socket, so the Host header (or two of them) goes out exactly as written. */
function rawHttp(port: number, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let reply = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      reply += chunk;
    });
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

describe('the local API refuses rebinding Host headers (SECURITY 15)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t?.close());

  it.each(REBINDING_HOST_HEADERS)('refuses Host %j even with the token', async (template) => {
    const host = template.replaceAll('PORT', String(t.port));
    const response = await rawRequest({
      port: t.port,
      path: '/api/health',
      headers: { Host: host, Authorization: `Bearer ${t.token}` },
    });
    expect(response.status).toBe(403);
  });

  it('refuses a request with two Host headers and an absolute-form target naming another host', async () => {
    const auth = `Authorization: Bearer ${t.token}\r\n`;
    // A browser sends one Host; with two, Node keeps the first, and that one is checked.
    const twoHosts = await rawHttp(
      t.port,
      `GET /api/health HTTP/1.1\r\nHost: evil.example\r\nHost: 127.0.0.1:${t.port}\r\n${auth}Connection: close\r\n\r\n`,
    );
    expect(twoHosts).toBe(403);
    const absolute = await rawHttp(
      t.port,
      `GET http://evil.example/api/health HTTP/1.1\r\nHost: evil.example\r\n${auth}Connection: close\r\n\r\n`,
    );
    expect(absolute).toBe(403);
    const healthy = await rawHttp(
      t.port,
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:${t.port}\r\n${auth}Connection: close\r\n\r\n`,
    );
    expect(healthy).toBe(200);
  });
});
