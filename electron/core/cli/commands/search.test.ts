import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../memory/test-support/temp-dir';
import { startSearxngServer } from '../../rag/testing/searxng-server';
import { runPonder } from '../testing/run-ponder';

const tempDir = useTempDir('ponder-search-cli-');

describe('ponder search', () => {
  it('searches the folder given with --docs, one source per document', async () => {
    const dataDir = tempDir();
    const docs = join(dataDir, 'notes');
    await mkdir(docs);
    await writeFile(
      join(docs, 'boat.md'),
      '# Boat\n\n## Engine\n\nThe boat engine needs new oil every 100 hours.\n\n## Hull\n\nThe hull is scraped and the engine oil filter checked each spring.\n',
    );
    const run = await runPonder(['search', '--docs', docs, 'boat engine oil'], { dataDir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^local: \d+ results, 1 page read/);
    expect(run.stdout).toContain('every 100 hours');
    expect(run.stdout).toContain('oil filter checked each spring');
    // Both passages are under one numbered source: the document.
    expect(run.stdout).toMatch(/\[1\]/);
    expect(run.stdout).not.toMatch(/\[2\]/);
  });

  it('names the refusal of private pages once, with the option that allows them', async () => {
    const pages = ['alpha', 'beta', 'gamma'].map((name) => ({
      title: `Vacuum ${name}`,
      snippet: `vacuum notes ${name}`,
      html: `<html><body><p>Vacuum ${name} reclaims space.</p></body></html>`,
    }));
    const server = await startSearxngServer(pages);
    try {
      const dataDir = tempDir();
      const run = await runPonder(
        ['search', '--search-provider', 'searxng', '--searxng-url', server.origin, 'vacuum'],
        { dataDir },
      );
      expect(run.code).toBe(0);
      const refusals = run.stderr.split('\n').filter((line) => line.startsWith('not read:'));
      expect(refusals).toEqual([
        expect.stringMatching(
          /^not read: 3 pages — Refused to read 127\.0\.0\.1:\d+: it is a private or local address\.$/,
        ),
      ]);
      expect(run.stderr).toContain('pass --allow-private-host HOST');
    } finally {
      await server.close();
    }
  });
});
