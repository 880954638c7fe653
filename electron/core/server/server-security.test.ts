import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPonderCore } from '../app';
import type { PonderCore } from '../app';
import { CONTENT_SECURITY_POLICY } from './security-headers';
import { createServer } from './create-server';
import { rawRequest } from './testing/http-client';
import type { RawRequest } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

const INDEX =
  '<!doctype html><title>Ponder</title><script type="module" src="/assets/app.js"></script>';
const SECRET = 'secret-outside-the-ui';

let t: TestServer;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ponder-static-'));
  const ui = join(root, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), INDEX);
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log("ponder");');
  writeFileSync(join(ui, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(ui, 'assets', 'link.txt'));
  symlinkSync(root, join(ui, 'escape'));
  t = await startTestServer({ server: { staticDir: ui } });
});

afterAll(async () => {
  await t?.close();
  rmSync(root, { recursive: true, force: true });
});

const send = (request: Omit<RawRequest, 'port'>) => rawRequest({ port: t.port, ...request });
const bearer = () => ({ Authorization: `Bearer ${t.token}` });

describe('Host allow-list (DNS rebinding)', () => {
  it.each(['127.0.0.1:PORT', 'localhost:PORT', '[::1]:PORT', 'LOCALHOST:PORT'])(
    'answers Host %s',
    async (host) => {
      const response = await send({
        path: '/api/health',
        headers: { Host: host.replace('PORT', String(t.port)), ...bearer() },
      });
      expect(response.status).toBe(200);
      expect(response.json<{ status: string }>().status).toBeTypeOf('string');
    },
  );

  it.each([
    'evil.com',
    'evil.com:PORT',
    '127.0.0.1',
    '127.0.0.1:1',
    'localhost.evil.com:PORT',
    '127.0.0.1:PORT.evil.com',
    '',
  ])('refuses Host %j with 403 on the API and the UI, even with the token', async (host) => {
    for (const path of ['/api/health', '/', '/generate', '/v1/models']) {
      const response = await send({
        path,
        headers: { Host: host.replace('PORT', String(t.port)), ...bearer() },
      });
      expect(response.status, path).toBe(403);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('forbidden');
      expect(response.text).not.toContain(INDEX);
    }
  });
});

describe('Origin check (CSRF)', () => {
  it('answers the page served by this server', async () => {
    const response = await send({
      path: '/api/health',
      headers: { Origin: `http://127.0.0.1:${t.port}`, ...bearer() },
    });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it.each([
    'https://evil.com',
    'http://localhost:PORT',
    `http://127.0.0.1:1`,
    'https://127.0.0.1:PORT',
    'null',
    'file://',
  ])('refuses Origin %s with 403, and never sends Access-Control-Allow-Origin', async (origin) => {
    for (const [method, path] of [
      ['GET', '/api/health'],
      ['POST', '/generate'],
      ['OPTIONS', '/api/ask'],
      ['POST', '/v1/chat/completions'],
    ] as const) {
      const response = await send({
        method,
        path,
        headers: { Origin: origin.replace('PORT', String(t.port)), ...bearer() },
      });
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuses requests a browser marks as cross-site even without an Origin', async () => {
    const response = await send({
      path: '/api/conversations',
      headers: { 'Sec-Fetch-Site': 'cross-site', ...bearer() },
    });
    expect(response.status).toBe(403);
  });
});

describe('bearer token', () => {
  const routes = [
    ['GET', '/api/health'],
    ['POST', '/api/ask'],
    ['GET', '/api/conversations'],
    ['GET', '/api/conversations/search?q=x'],
    ['GET', '/api/conversations/abc'],
    ['PATCH', '/api/conversations/abc'],
    ['DELETE', '/api/conversations/abc'],
    ['GET', '/api/conversations/abc/export?format=md'],
    ['GET', '/api/settings'],
    ['PATCH', '/api/settings'],
    ['GET', '/api/models/catalog'],
    ['POST', '/api/models/download'],
    ['POST', '/generate'],
    ['POST', '/v1/chat/completions'],
    ['GET', '/v1/models'],
    ['GET', '/api/no-such-route'],
  ] as const;

  it.each(routes)(
    '%s %s is 401 without a token, with a wrong one, or with another scheme',
    async (method, path) => {
      for (const authorization of [
        undefined,
        'Bearer',
        'Bearer wrong-token',
        `Bearer ${t.token}x`,
        `Basic ${Buffer.from(`user:${t.token}`).toString('base64')}`,
        t.token,
      ]) {
        const response = await send({
          method,
          path,
          headers: authorization === undefined ? {} : { Authorization: authorization },
        });
        expect(response.status, String(authorization)).toBe(401);
        expect(response.json<{ error: { code: string } }>().error.code).toBe('unauthorized');
        expect(response.headers['www-authenticate']).toContain('Bearer');
      }
    },
  );

  it('accepts the token and answers unknown routes 404 and wrong methods 405', async () => {
    expect((await send({ path: '/api/settings', headers: bearer() })).status).toBe(200);
    const missing = await send({ path: '/api/nothing', headers: bearer() });
    expect(missing.status).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('not-found');
    const wrong = await send({ method: 'PUT', path: '/api/settings', headers: bearer() });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toContain('PATCH');
  });
});

describe('web UI', () => {
  it('is served without a token, with the CSP and hardening headers on every page', async () => {
    for (const path of ['/', '/index.html', '/conversations/abc', '/settings?x=1', '/#token=abc']) {
      const response = await send({ path });
      expect(response.status, path).toBe(200);
      expect(response.text).toBe(INDEX);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('serves assets with their types and 404s for missing ones', async () => {
    const script = await send({ path: '/assets/app.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await send({ path: '/assets/style.css' })).headers['content-type']).toMatch(
      /^text\/css/,
    );
    const missing = await send({ path: '/assets/missing.js' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect((await send({ method: 'POST', path: '/' })).status).toBe(405);
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2E%2E/secret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/assets\\..\\..\\secret.txt',
    '/index.html%00',
    '/%00/../secret.txt',
    '/assets/link.txt',
    '/escape/secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '//etc/passwd',
    '/..',
  ])('never serves a file outside the UI folder: %s', async (path) => {
    const response = await send({ path });
    // A path that stays inside (`//etc/passwd` is `etc/passwd` under the UI) may get the SPA page.
    if (response.status === 200) expect(response.text).toBe(INDEX);
    else expect([400, 403, 404]).toContain(response.status);
    expect(response.text).not.toContain(SECRET);
    expect(response.text).not.toContain('root:');
  });
});

describe('binding', () => {
  let core: PonderCore;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponder-bind-'));
    core = await createPonderCore({ flags: { dataDir }, env: {} });
  });
  afterAll(async () => {
    await core.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a non-loopback address unless asked explicitly, and a short token', async () => {
    await expect(createServer({ core, port: 0, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(createServer({ core, port: 0, token: 'short' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
  });

  it('makes a random token when none is given and puts it in the UI fragment', async () => {
    const server = await createServer({ core, port: 0 });
    const other = await createServer({ core, port: 0 });
    try {
      expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(server.token);
      expect(server.uiUrl).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    } finally {
      await server.close();
      await other.close();
    }
  });

  it('says so clearly when the port is taken', async () => {
    const server = await createServer({ core, port: 0 });
    try {
      await expect(createServer({ core, port: server.port })).rejects.toMatchObject({
        code: 'invalid-input',
        message: `Port ${server.port} is already in use.`,
      });
    } finally {
      await server.close();
    }
  });
});
