import { mkdir, mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PonderError } from '../../errors';
import Database from 'better-sqlite3';
import { LocalDocsIndex } from './local-docs-index';
import { LocalDocsProvider } from './local-docs-provider';

let dir: string;
let docs: string;
let provider: LocalDocsProvider;

/** Writes each file under `root`, making the folders it needs. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ponder-docs-'));
  docs = join(dir, 'notes');
  await writeTree(docs, {
    'garden.md': '# Garden\n\nTomatoes need six hours of sun and steady watering.\n',
    'sub/boat.txt': 'The boat engine needs new oil every 100 hours of running.\n',
    'tides.html':
      '<html><head><title>Tide notes</title></head><body><p>Spring tides come at full moon.</p><p hidden>secret hidden words</p></body></html>',
    'photo.jpg': 'not text',
  });
  provider = new LocalDocsProvider(docs, join(dir, 'data'));
});

afterAll(async () => {
  provider.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('local documents', () => {
  it('finds passages in txt, md and html files with their file and offset', async () => {
    const [hit] = await provider.search('how often does the boat engine need oil?', { count: 5 });
    expect(hit).toBeDefined();
    expect(hit?.provider).toBe('local');
    expect(hit?.url).toMatch(/^file:\/\/.*\/sub\/boat\.txt$/);
    expect(hit?.contentPlace?.offset).toBe(0);
    expect(hit?.content).toContain('100 hours');
    const [tide] = await provider.search('spring tides', { count: 5 });
    expect(tide?.title).toBe('Tide notes');
    expect(await provider.search('secret hidden words', { count: 5 })).toEqual([]);
    expect(await provider.search('photo', { count: 5 })).toEqual([]);
  });

  it('gives a Markdown note’s passages their section path, with code kept line for line', async () => {
    const notes = join(dir, 'server-notes');
    await mkdir(notes);
    await writeFile(
      join(notes, 'backup.md'),
      [
        '# Home server',
        '',
        'Notes on the small machine in the cupboard.',
        '',
        '## Backups',
        '',
        '### Restoring',
        '',
        'To restore the photo archive,',
        'stop the sync service first and then run:',
        '',
        '```sh',
        'systemctl stop photosync',
        '  restic restore latest --target /srv/photos',
        '```',
      ].join('\n'),
    );
    const own = new LocalDocsProvider(notes, join(dir, 'data'));
    const [hit] = await own.search('restore photo archive restic', { count: 5 });
    own.dispose();
    expect(hit?.title).toBe('Home server');
    expect(hit?.contentPlace?.section).toBe('Home server › Backups › Restoring');
    // Soft line breaks are joined; the code block keeps its lines and indentation.
    expect(hit?.content).toContain('To restore the photo archive, stop the sync service first');
    expect(hit?.content).toContain('systemctl stop photosync\n  restic restore latest');
  });

  it('re-indexes files that changed, appeared or were deleted', async () => {
    await writeFile(join(docs, 'garden.md'), '# Garden\n\nCucumbers climb a trellis in summer.\n');
    // Same-second writes can keep the mtime; a changed size is enough, but make the mtime move too.
    const later = new Date(Date.now() + 5000);
    await utimes(join(docs, 'garden.md'), later, later);
    await writeFile(join(docs, 'new.txt'), 'Bread dough rises best in a warm kitchen.');
    await unlink(join(docs, 'sub', 'boat.txt'));
    expect(provider.index.reindex()).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 1 });
    expect(await provider.search('tomatoes', { count: 5 })).toEqual([]);
    expect((await provider.search('cucumbers trellis', { count: 5 }))[0]?.content).toContain(
      'Cucumbers',
    );
    expect((await provider.search('bread dough', { count: 5 }))[0]?.content).toContain(
      'warm kitchen',
    );
    expect(await provider.search('boat engine oil', { count: 5 })).toEqual([]);
    expect(provider.index.reindex()).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 3 });
  });

  it('works offline from a fresh provider on the same data folder', async () => {
    const again = new LocalDocsProvider(docs, join(dir, 'data'));
    try {
      expect(again.index.reindex().unchanged).toBe(3);
      expect(await again.search('cucumbers', { count: 5 })).toHaveLength(1);
    } finally {
      again.dispose();
    }
  });

  it('rebuilds an index written by an earlier version instead of failing on it', async () => {
    const notes = join(dir, 'old-index-notes');
    await mkdir(notes);
    await writeFile(join(notes, 'kayak.txt'), 'The kayak hatch seal is replaced every spring.\n');
    const indexFile = join(dir, 'old-index.sqlite');
    const old = new Database(indexFile);
    old.exec(
      'CREATE TABLE doc_files (path TEXT PRIMARY KEY, mtime_ms REAL NOT NULL, size INTEGER NOT NULL, title TEXT NOT NULL); CREATE VIRTUAL TABLE doc_chunks USING fts5(text, path UNINDEXED, offset UNINDEXED);',
    );
    old.close();
    const index = new LocalDocsIndex(notes, indexFile);
    try {
      expect(index.reindex().added).toBe(1);
      expect(index.search('kayak hatch seal', 5)[0]?.section).toBe('kayak.txt');
    } finally {
      index.close();
    }
  });

  it('explains a folder that does not exist', () => {
    let error: unknown;
    try {
      new LocalDocsProvider(join(dir, 'missing'), join(dir, 'data'));
    } catch (e) {
      error = e;
    }
    expect((error as PonderError).code).toBe('invalid-input');
    expect((error as PonderError).message).toContain('does not exist');
  });

  it('says a file given as the folder is a file, and a folder without documents has none', async () => {
    const messageOf = (make: () => unknown): string => {
      try {
        make();
      } catch (error) {
        return (error as PonderError).message;
      }
      return '';
    };
    expect(
      messageOf(() => new LocalDocsProvider(join(docs, 'garden.md'), join(dir, 'data'))),
    ).toContain('is a file, not a folder');
    const pictures = join(dir, 'pictures');
    await mkdir(pictures);
    await writeFile(join(pictures, 'photo.jpg'), 'not text');
    const empty = new LocalDocsProvider(pictures, join(dir, 'data'));
    try {
      await expect(empty.search('anything', { count: 5 })).rejects.toThrow(
        /has no \.txt, \.md or \.html files/,
      );
    } finally {
      empty.dispose();
    }
  });

  it("searches a Sphinx site's pages, not the reStructuredText copies and indexes beside them", async () => {
    const site = join(dir, 'sphinx-site');
    await writeTree(site, {
      'searchindex.js': 'Search.setIndex({})',
      'config.html':
        '<html><head><title>Configuration</title></head><body><div class="body"><h1>Configuration</h1><dl><dt>secret_key<a class="headerlink" href="#secret_key">¶</a></dt><dd><p>Signs the session cookie.</p></dd></dl></div></body></html>',
      '_sources/config.rst.txt':
        'Configuration\n=============\n\n.. data:: secret_key\n\n   Signs the session cookie.\n',
      '_static/notes.txt': 'session cookie theme notes',
      'genindex.html': '<p>secret_key session cookie (config)</p>',
    });
    const own = new LocalDocsProvider(site, join(dir, 'data'));
    try {
      const hits = await own.search('what signs the session cookie', { count: 5 });
      expect(hits.map((hit) => hit.url.split('/').pop())).toEqual(['config.html']);
      expect(hits[0]?.content).toBe('secret_key\nSigns the session cookie.');
    } finally {
      own.dispose();
    }
  });

  it('says why the data folder cannot hold the index when a file is in the way', async () => {
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, 'a file where the data folder should be');
    let message = '';
    try {
      new LocalDocsProvider(docs, join(blocked, 'data'));
    } catch (error) {
      message = (error as PonderError).message;
    }
    expect(message).toMatch(/^The search index cannot be written to .*: a file is in the way\.$/);
  });
});
