import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractionPool } from './extract/extraction-pool';
import { readPages } from './read-pages';
import { send, startLocalHttpServer, type LocalHttpServer } from './testing/local-http-server';

let server: LocalHttpServer;
const pool = new ExtractionPool({ size: 1 });

beforeAll(async () => {
  server = await startLocalHttpServer((_request, response, url) => {
    if (url.pathname === '/slow') return; // never answers
    if (url.pathname === '/binary')
      return send(response, 200, '\u0000\u0001PK\u0003\u0004'.repeat(200), 'text/html');
    if (url.pathname === '/image') return send(response, 200, 'GIF89a', 'image/gif');
    if (url.pathname === '/broken')
      return send(response, 200, '<html><body><main><p>Unclosed <b>tags <i>still read');
    return send(
      response,
      200,
      `<html><body><main><p>Page ${url.pathname} answers.</p></main></body></html>`,
    );
  });
});
afterAll(async () => {
  await server?.close();
  await pool.dispose();
});

const result = (path: string, rank: number) => ({
  title: path,
  url: `${server.origin}${path}`,
  snippet: `snippet of ${path}`,
  rank,
  provider: 'test',
});

describe('reading pages', () => {
  it('never lets a slow page hold the others back, and says why each page was not read', async () => {
    const pages = await readPages(
      ['/slow', '/a', '/binary', '/image', '/broken', '/b'].map(result),
      { pool, allowPrivateHosts: [server.host], budgetMs: 1500, timeoutMs: 60_000, concurrency: 3 },
    );
    const byPath = new Map(pages.map((p) => [new URL(p.result.url).pathname, p]));
    expect(byPath.get('/a')?.passages[0]?.text).toBe('Page /a answers.');
    expect(byPath.get('/b')?.passages[0]?.text).toBe('Page /b answers.');
    expect(byPath.get('/broken')?.passages[0]?.text).toBe('Unclosed tags still read');
    expect(byPath.get('/slow')?.error).toMatch(/not read within the 1\.5 s reading budget/);
    expect(byPath.get('/binary')?.error).toMatch(/binary/);
    expect(byPath.get('/image')?.error).toMatch(/not a text page \(image\/gif\)/);
  });

  it('stops at once when the question is cancelled', async () => {
    const controller = new AbortController();
    const reading = readPages(
      [result('/slow', 1)],
      { pool, allowPrivateHosts: [server.host] },
      controller.signal,
    );
    controller.abort(new Error('cancelled'));
    await expect(reading).rejects.toThrow();
  });
});
