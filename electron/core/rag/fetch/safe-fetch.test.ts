import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PonderError } from '../../errors';
import { send, startLocalHttpServer, type LocalHttpServer } from '../testing/local-http-server';
import { isPrivateHostRefusal, safeFetch } from './safe-fetch';

let site: LocalHttpServer;
let internal: LocalHttpServer;

beforeAll(async () => {
  internal = await startLocalHttpServer((_req, res) =>
    send(res, 200, '<p>internal admin secrets</p>'),
  );
  site = await startLocalHttpServer((_req, res, url) => {
    const redirect = (location: string) => {
      res.writeHead(302, { location });
      res.end();
    };
    if (url.pathname === '/page')
      return send(res, 200, '<html><body><p>Hello tides</p></body></html>');
    if (url.pathname === '/to-loopback') return redirect(`${internal.origin}/admin`);
    if (url.pathname === '/to-metadata')
      return redirect('http://169.254.169.254/latest/meta-data/');
    if (url.pathname === '/to-localhost-name')
      return redirect(`http://localhost:${internal.port}/admin`);
    if (url.pathname === '/to-file') return redirect('file:///etc/passwd');
    if (url.pathname === '/hop') return redirect('/page');
    if (url.pathname === '/loop') return redirect('/loop');
    if (url.pathname === '/big') return send(res, 200, 'x'.repeat(50_000));
    if (url.pathname === '/slow') return; // never answers
    send(res, 404, 'nothing here');
  });
});

afterAll(async () => {
  await site.close();
  await internal.close();
});

const code = (error: unknown) => (error as PonderError).code;

describe('safeFetch SSRF guard', () => {
  it('refuses a loopback server while the allow-list is off', async () => {
    const error = await safeFetch(`${site.origin}/page`).catch((e: unknown) => e);
    expect(code(error)).toBe('fetch-refused');
    expect(site.requests).toHaveLength(0);
  });

  it('reads an allow-listed host and follows a redirect to the same host', async () => {
    const page = await safeFetch(`${site.origin}/hop`, { allowPrivateHosts: [site.host] });
    expect(page.body).toContain('Hello tides');
    expect(page.url).toBe(`${site.origin}/page`);
  });

  it.each(['/to-loopback', '/to-metadata', '/to-localhost-name'])(
    'refuses a redirect from an allowed host to a private address (%s)',
    async (path) => {
      const error = await safeFetch(`${site.origin}${path}`, {
        allowPrivateHosts: [site.host],
      }).catch((e: unknown) => e);
      expect(code(error)).toBe('fetch-refused');
      expect(internal.requests).toHaveLength(0);
    },
  );

  it('says which refusals are of a private host, by address or by name', async () => {
    const byAddress = await safeFetch(`${site.origin}/page`).catch((e: unknown) => e);
    const byName = await safeFetch(`http://localhost:${site.port}/page`).catch((e: unknown) => e);
    const scheme = await safeFetch('file:///etc/passwd').catch((e: unknown) => e);
    expect(isPrivateHostRefusal((byAddress as PonderError).message)).toBe(true);
    expect(isPrivateHostRefusal((byName as PonderError).message)).toBe(true);
    expect(isPrivateHostRefusal((scheme as PonderError).message)).toBe(false);
  });

  it('refuses 169.254.169.254 and non-http schemes outright', async () => {
    expect(
      code(await safeFetch('http://169.254.169.254/latest/meta-data/').catch((e: unknown) => e)),
    ).toBe('fetch-refused');
    expect(code(await safeFetch('http://[::ffff:127.0.0.1]/').catch((e: unknown) => e))).toBe(
      'fetch-refused',
    );
    expect(code(await safeFetch('http://2130706433/').catch((e: unknown) => e))).toBe(
      'fetch-refused',
    );
    expect(code(await safeFetch('file:///etc/passwd').catch((e: unknown) => e))).toBe(
      'fetch-refused',
    );
    const viaRedirect = await safeFetch(`${site.origin}/to-file`, {
      allowPrivateHosts: [site.host],
    }).catch((e: unknown) => e);
    expect(code(viaRedirect)).toBe('fetch-refused');
  });

  it('stops redirect loops, oversized pages and slow servers with a clear error', async () => {
    const allow = { allowPrivateHosts: [site.host] };
    const loop = await safeFetch(`${site.origin}/loop`, allow).catch((e: unknown) => e);
    expect((loop as Error).message).toMatch(/Too many redirects/);
    const big = await safeFetch(`${site.origin}/big`, { ...allow, maxBytes: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(code(big)).toBe('payload-too-large');
    const slow = await safeFetch(`${site.origin}/slow`, { ...allow, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(code(slow)).toBe('search-failed');
    expect((slow as Error).message).toMatch(/longer than 300 ms/);
  });
});
