import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetrievalReport } from '../../shared';
import { runPonder } from '../cli/testing/run-ponder';
import { startTestServer, type TestServer } from '../server/testing/start-test-server';
import { startSearxngServer, type SearxngTestServer } from './testing/searxng-server';

/** A reference page: the answer sits deep in it, under its own heading, after much else. */
const referencePage = (): string => {
  const filler = Array.from(
    { length: 40 },
    (_, i) =>
      `<h2>Option ${i}</h2><p>Option ${i} changes how the tool formats report number ${i}.</p>`,
  ).join('');
  return `<!doctype html><html><head><title>tidetool manual</title></head><body><nav><a href="/a">Home</a><a href="/b">Docs</a><a href="/c">Blog</a></nav><main><h1>tidetool</h1>${filler}<h2>Moon phase</h2><p>The --moon-phase flag predicts spring tides two days after a full moon.</p></main></body></html>`;
};

let searxng: SearxngTestServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-retrieval-'));
  searxng = await startSearxngServer([
    { title: 'tidetool manual', snippet: 'Options of tidetool.', html: referencePage() },
    { title: 'Tide tables', snippet: 'Printed tide tables for harbours.' },
  ]);
});

afterAll(async () => {
  await searxng?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const providerArgs = () => [
  '--search-provider',
  'searxng',
  '--searxng-url',
  searxng.origin,
  '--allow-private-host',
  searxng.host,
  '--embedding-model',
  join(dataDir, 'no-embedding-model'),
];

const QUESTION = 'which tidetool flag predicts spring tides after a full moon';

describe('what Search would read, without the model', () => {
  it('ponder search prints the numbered sources with the passage that answers, deep in the page', async () => {
    const run = await runPonder(['search', ...providerArgs(), QUESTION], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\[1\] tidetool manual — http:\/\/127\.0\.0\.1:\d+\/pages\/0/);
    expect(run.stdout).toContain('§ tidetool manual › Moon phase');
    expect(run.stdout).toContain(
      'The --moon-phase flag predicts spring tides two days after a full moon.',
    );
    // The page that could not be read is said so, with its reason.
    expect(run.stderr).toMatch(/not read: .*\/pages\/1 — HTTP 404/);
    expect(run.stdout).not.toContain('Docs');
  });

  it('ponder search --json gives the passages with their section and offset', async () => {
    const run = await runPonder(['search', '--json', '--top-k', '1', ...providerArgs(), QUESTION], {
      dataDir,
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as RetrievalReport;
    expect(report.method).toBe('bm25');
    expect(report.sources).toHaveLength(1);
    const passage = report.sources[0]?.passages?.find((p) => p.text.includes('--moon-phase'));
    expect(passage?.section).toBe('tidetool manual › Moon phase');
    expect(passage?.offset).toBeGreaterThan(1000);
  });

  it('ponder search refuses a missing question and unknown options as usage errors', async () => {
    expect((await runPonder(['search'], { dataDir })).code).toBe(2);
    const bogus = await runPonder(['search', '--bogus', 'x'], { dataDir });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('Unknown option "--bogus"');
  });

  describe('POST /api/search', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({
        flags: {
          searchProvider: 'searxng',
          searxngUrl: searxng.origin,
          allowPrivateHosts: [searxng.host],
          embeddingModel: join(dataDir, 'no-embedding-model'),
        },
      });
    });
    afterAll(async () => server?.close());

    it('answers the sources with the exact passages the model would be given', async () => {
      const response = await server.api('/api/search', {
        method: 'POST',
        json: { question: QUESTION, topK: 2 },
      });
      expect(response.status).toBe(200);
      const report = (await response.json()) as RetrievalReport;
      expect(report.pagesRead).toBe(1);
      expect(report.unread).toEqual([{ url: searxng.pageUrl(1), reason: 'HTTP 404' }]);
      const texts = report.sources.flatMap((s) => s.passages ?? []).map((p) => p.text);
      expect(texts.join('\n')).toContain('The --moon-phase flag predicts spring tides');
    });

    it('refuses a body that is not a question with one clear error', async () => {
      const response = await server.api('/api/search', { method: 'POST', json: { question: 42 } });
      expect(response.status).toBe(400);
    });
  });
});
