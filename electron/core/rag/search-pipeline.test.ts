import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, Source } from '../../shared';
import type { PonderError } from '../errors';
import { createSearchPipeline, type SearchPipeline } from './search-pipeline';
import type { SearchSettingsInput } from './search-settings';
import { CANARY_URL, CANARY_WORD, injectionPage } from './testing/injection-pages';
import { startLocalHttpServer } from './testing/local-http-server';
import {
  startSearxngServer,
  type FakePage,
  type SearxngTestServer,
} from './testing/searxng-server';
import { buildTestEmbeddingModel, wordsOf } from './testing/test-embedding-model';

const QUESTION = 'how do tides work with the moon';
const article = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>${body
    .split('\n')
    .map((p) => `<p>${p}</p>`)
    .join('')}</article></body></html>`;

const PAGES: FakePage[] = [
  {
    title: 'Tides explained',
    snippet: 'How tides work: the moon and the sun.',
    html: injectionPage(),
  },
  {
    title: 'Moon tides (page gone)',
    snippet: 'Tides work because the moon pulls the oceans into two bulges.',
  },
  {
    title: 'Tides and the moon',
    snippet: 'The moon pulls the oceans.',
    html: article(
      'Tides and the moon',
      'The moon pulls the water of the oceans toward it, which makes tides.\nHigh tide comes twice a day.',
    ),
  },
  {
    title: 'Tide tables',
    snippet: 'Times of high and low tides for ports.',
    html: article('Tide tables', 'Tables of tide times for many ports.'),
  },
  {
    title: 'Tidal power',
    snippet: 'Tides can make electricity.',
    html: article('Tidal power', 'Turbines in tidal streams make electricity.'),
  },
  ...Array.from({ length: 17 }, (_, i) => ({
    title: `Moon trivia ${i}`,
    snippet: `The moon is a rocky body, fact ${i}; it has craters.`,
  })),
];

let dir: string;
let modelDir: string;
let searx: SearxngTestServer;
const open: SearchPipeline[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ponder-pipeline-'));
  searx = await startSearxngServer(PAGES);
  const texts = PAGES.flatMap((p) => [p.title, p.snippet, p.html ?? '']);
  modelDir = await buildTestEmbeddingModel(join(dir, 'bow-model'), {
    words: wordsOf(QUESTION, ...texts),
  });
});

afterAll(async () => {
  for (const pipeline of open) await pipeline.dispose();
  await searx.close();
  await rm(dir, { recursive: true, force: true });
});

function pipelineWith(settings: Partial<SearchSettingsInput> = {}): SearchPipeline {
  const pipeline = createSearchPipeline({
    dataDir: join(dir, 'data'),
    provider: 'searxng',
    searxngUrl: searx.origin,
    embeddingModelDir: modelDir,
    allowPrivateHosts: [searx.host],
    pagesToRead: 5,
    // Page reading has a 3 s budget in the app; a busy test machine must not turn that into a miss.
    timeouts: { readBudgetMs: 60_000, extractMs: 60_000 },
    ...settings,
  });
  open.push(pipeline);
  return pipeline;
}

async function drain(pipeline: SearchPipeline, query: string) {
  const events: AnswerEvent[] = [];
  const run = pipeline.run(query);
  for (;;) {
    const next = await run.next();
    if (next.done) return { events, result: next.value };
    events.push(next.value);
  }
}

describe('search pipeline over real HTTP', () => {
  it('searches, reads pages, ranks and builds numbered, fenced sources', async () => {
    const { events, result } = await drain(pipelineWith(), QUESTION);
    expect(events.map((e) => e.type)).toEqual([
      'search-started',
      'search-results',
      'ranked',
      'sources',
    ]);
    expect(events[0]).toMatchObject({
      type: 'search-started',
      provider: 'searxng',
      query: QUESTION,
    });
    expect(events[1]).toMatchObject({ type: 'search-results', count: 20, provider: 'searxng' });
    expect(events[2]).toMatchObject({ type: 'ranked', method: 'embedding+bm25' });
    const sources = (events[3] as { sources: Source[] }).sources;
    expect(sources.map((s) => s.n)).toEqual([1, 2, 3, 4, 5]);
    expect(result.sources).toEqual(sources);
    for (const source of sources) {
      expect(source).toMatchObject({ domain: '127.0.0.1', provider: 'searxng' });
      expect(result.systemPrompt).toContain(`url: ${source.url}`);
      expect(result.systemPrompt).toMatch(new RegExp(`<<<SOURCE ${source.n} [0-9a-f]{12}>>>`));
    }
    const urls = sources.map((s) => s.url);
    expect(urls).toContain(searx.pageUrl(0));
    expect(urls).toContain(searx.pageUrl(2));
    // Pages were read, not only their snippets.
    expect(result.systemPrompt).toContain('which makes tides');
    expect(result.systemPrompt).toContain('Spring tides happen at new and full moon');
    // The page that could not be fetched is represented by its snippet.
    expect(urls).toContain(searx.pageUrl(1));
    expect(result.systemPrompt).toContain(
      'Tides work because the moon pulls the oceans into two bulges.',
    );
    expect(result.systemPrompt).toContain('[1]');
    expect(result.systemPrompt).toContain('<start_working_out>');
    expect(result.systemPrompt).toContain('<SOLUTION>');
  });

  it('keeps hidden instructions and the canary out of the context and the answer', async () => {
    const pipeline = pipelineWith();
    const { result } = await drain(pipeline, QUESTION);
    expect(result.systemPrompt).not.toContain(CANARY_WORD);
    expect(result.systemPrompt).not.toContain('canary-exfil');
    expect(result.systemPrompt).not.toMatch(/ignore all previous/i);
    // A model that followed the page anyway: the link and a made-up citation are taken out.
    const answer = `Tides follow the moon [1][9]. See [tide tables](${CANARY_URL}) or ${CANARY_URL} and ![x](${CANARY_URL}).`;
    const cleaned = pipeline.postProcess(answer, result.sources);
    expect(cleaned).not.toContain('canary-exfil');
    expect(cleaned).toContain('Tides follow the moon [1].');
    expect(cleaned).not.toContain('[9]');
  });

  it('ranks by BM25 and says so when the embedding model is missing and cannot be downloaded', async () => {
    const down = await startLocalHttpServer(() => undefined);
    await down.close();
    const pipeline = pipelineWith({
      embeddingModelDir: undefined,
      embeddingRemoteHost: `${down.origin}/`,
      dataDir: join(dir, 'fresh'),
    });
    const { events, result } = await drain(pipeline, QUESTION);
    expect(events.find((e) => e.type === 'notice')).toMatchObject({
      text: expect.stringMatching(/Downloading the embedding model/),
    });
    const ranked = events.find((e) => e.type === 'ranked');
    expect(ranked).toMatchObject({ method: 'bm25', note: expect.stringMatching(/keywords only/) });
    expect(result.sources).toHaveLength(5);
    // The next question does not try the download again.
    const second = await drain(pipeline, 'tide tables');
    expect(second.events.find((e) => e.type === 'ranked')).toMatchObject({ method: 'bm25' });
  });

  it('fails with a clear error when the provider is down, without hanging', async () => {
    const down = await startLocalHttpServer(() => undefined);
    await down.close();
    const error = await drain(pipelineWith({ searxngUrl: down.origin }), QUESTION).catch(
      (e: unknown) => e,
    );
    expect((error as PonderError).code).toBe('search-offline');
  });

  it('refuses to read pages on private addresses unless their host is allowed', async () => {
    const before = searx.requests.filter((r) => r.includes('/pages/')).length;
    const { result } = await drain(pipelineWith({ allowPrivateHosts: [] }), QUESTION);
    expect(searx.requests.filter((r) => r.includes('/pages/')).length).toBe(before);
    // Snippets stand in for every page.
    expect(result.systemPrompt).not.toContain('which makes tides');
    expect(result.sources).toHaveLength(5);
  });
});
