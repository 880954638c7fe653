import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { ExtractionPool } from './extraction-pool';

const pools: ExtractionPool[] = [];
const poolWith = (options: ConstructorParameters<typeof ExtractionPool>[0]) => {
  const pool = new ExtractionPool(options);
  pools.push(pool);
  return pool;
};
afterEach(async () => Promise.all(pools.splice(0).map((pool) => pool.dispose())));

const html = (body: string) =>
  `<html><head><title>T</title></head><body><main>${body}</main></body></html>`;

describe('extraction pool', () => {
  it('reads pages in worker threads, never on the calling thread', async () => {
    const pool = poolWith({ size: 2 });
    const pages = await Promise.all(
      ['One page.', 'Another page.', 'A third.'].map((text) =>
        pool.extract({ body: html(`<p>${text}</p>`), contentType: 'text/html' }),
      ),
    );
    expect(pages.map((p) => p.passages[0]?.text)).toEqual([
      'One page.',
      'Another page.',
      'A third.',
    ]);
    for (const page of pages) expect(page.threadId).not.toBe(threadId);
  });

  it('stops a page that overruns its budget and keeps reading the next ones', async () => {
    const pool = poolWith({ size: 1, pageBudgetMs: 1 });
    await pool.ready();
    const huge = html('<div><p>deep</p></div>'.repeat(200_000));
    await expect(pool.extract({ body: huge, contentType: 'text/html' })).rejects.toThrow(
      /longer than 0\.0 s/,
    );
    const fine = poolWith({ size: 1, pageBudgetMs: 60_000 });
    const page = await fine.extract({
      body: html('<p>Still reading.</p>'),
      contentType: 'text/html',
    });
    expect(page.passages[0]?.text).toBe('Still reading.');
  });

  it('refuses a binary page with its reason instead of reading noise', async () => {
    const pool = poolWith({ size: 1 });
    const binary = `\u0000\u0001\u0002PNG${'\u0000'.repeat(500)}`;
    await expect(pool.extract({ body: binary, contentType: 'text/html' })).rejects.toThrow(
      /binary/,
    );
  });

  it('extracts on the calling thread when asked to', async () => {
    const pool = poolWith({ inline: true });
    const page = await pool.extract({ body: html('<p>Inline.</p>'), contentType: 'text/html' });
    expect(page.threadId).toBe(threadId);
  });
});
