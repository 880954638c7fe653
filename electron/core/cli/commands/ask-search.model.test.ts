import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_GRPO_PARTS, fixturePaths } from '../../../../models/fixtures';
import type { AnswerEvent } from '../../../shared';
import { startSearxngServer } from '../../rag/testing/searxng-server';
import type { SearxngTestServer } from '../../rag/testing/searxng-server';
import { runPonder } from '../testing/run-ponder';

const page = (title: string, text: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p></article></body></html>`;

let dataDir: string;
let searxng: SearxngTestServer;

const ponder = (args: string[]) => runPonder(args, { dataDir, timeoutMs: 170_000 });

const searchArgs = () => [
  'ask',
  '--mode',
  'search',
  '--search-provider',
  'searxng',
  '--searxng-url',
  searxng.origin,
  '--allow-private-host',
  searxng.host,
  // A folder without the model: ranking must fall back to keywords, wherever the test runs.
  '--embedding-model',
  join(dataDir, 'no-embedding-model'),
  '--model',
  fixturePaths.base,
  '--grpo',
  fixturePaths.grpo,
];

beforeAll(async () => {
  await ensureFixtures();
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-ask-search-'));
  searxng = await startSearxngServer([
    {
      title: 'Tides and the moon',
      snippet: 'Tides are caused mainly by the pull of the moon on the oceans.',
      html: page('Tides and the moon', 'The moon pulls the oceans toward it, raising the tides.'),
    },
    {
      title: 'Baking bread',
      snippet: 'Flour, water, salt and yeast.',
      html: page('Baking bread', 'Knead the dough and let it rise.'),
    },
  ]);
});

afterAll(async () => {
  await searxng?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('ponder ask --mode search against a SearXNG server on 127.0.0.1', () => {
  it(
    'prints the answer, then the numbered sources it was given',
    { timeout: 180_000 },
    async () => {
      const run = await ponder([...searchArgs(), 'how do tides work']);
      expect(run.stderr).toMatch(/results from searxng/);
      // Without the embedding model the person is told ranking fell back to keywords.
      expect(run.stderr).toMatch(/Ranked by keywords only \(BM25\)/);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(FIXTURE_GRPO_PARTS.solution);
      const sources = run.stdout.slice(run.stdout.indexOf('Sources:'));
      expect(sources).toMatch(/\[1\] Tides and the moon — http:\/\/127\.0\.0\.1:\d+\/pages\/0/);
      // The search read the page itself, not only the result list.
      expect(searxng.requests.some((request) => request.includes('/pages/0'))).toBe(true);
    },
  );

  it(
    'prints under each source the passages the model was given with --show-passages',
    { timeout: 180_000 },
    async () => {
      const run = await ponder([...searchArgs(), '--show-passages', 'how do tides work']);
      expect(run.code).toBe(0);
      const sources = run.stdout.slice(run.stdout.indexOf('Sources:'));
      expect(sources).toMatch(/\[1\] Tides and the moon — /);
      // The section path and place in the page, then the passage itself, word for word.
      expect(sources).toMatch(/§ Tides and the moon · character \d+/);
      expect(sources).toContain('The moon pulls the oceans toward it, raising the tides.');
    },
  );

  it('streams the search events under --json', { timeout: 180_000 }, async () => {
    const run = await ponder([...searchArgs(), '--json', 'moon tides']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as AnswerEvent);
    const types = events.map((event) => event.type);
    for (const type of ['conversation', 'search-started', 'search-results', 'ranked', 'sources']) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('sources')).toBeLessThan(types.indexOf('solution'));
    const sources = events.find((event) => event.type === 'sources');
    expect(sources?.type === 'sources' && sources.sources[0]).toMatchObject({
      n: 1,
      title: 'Tides and the moon',
      domain: '127.0.0.1',
      provider: 'searxng',
    });
    expect(types.at(-1)).toBe('done');
  });
});
