/**
 * Time to rank 20 search results, cold (model load included) and warm (median of several runs),
 * with the 8-bit and the fp32 graph. Without --model it builds a model of all-MiniLM-L6-v2's exact
 * shape with random weights (speed does not depend on weight values); with --model DIR it times a
 * real copy. Writes bench/results/rank20-<date>.json.
 *
 *   npx tsx bench/rank20.ts [--model DIR] [--runs 15]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, getPriority, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSearchContext } from '../electron/core/rag/build-context';
import type { Embedder as EmbedderType } from '../electron/core/rag/rank/embedder';
import { buildMiniLmShapedModel } from '../electron/core/rag/testing/minilm-shaped-model';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: { model: { type: 'string' }, runs: { type: 'string', default: '15' } },
});
const runs = Math.max(3, Number(values.runs));

// Twenty results shaped like a real search answer: the replayed DuckDuckGo fixture.
const fixture = readFileSync(
  join(root, 'electron/core/rag/testing/fixtures/duckduckgo/results-d.js.fixture'),
  'utf8',
);
const parsed = JSON.parse(/DDG\.pageLayout\.load\('d',(\[.+\])\)/.exec(fixture)?.[1] ?? '[]') as {
  t?: string;
  a?: string;
  u?: string;
}[];
const results = parsed
  .filter((r) => r.u)
  .slice(0, 20)
  .map((r) => ({ title: r.t ?? '', url: r.u ?? '', snippet: (r.a ?? '').replace(/<[^>]+>/g, '') }));
const query = 'how do tides work';
const snippetTexts = results.map((r) => `${r.title}. ${r.snippet}`);
// Five read pages of two 600-character chunks each stand in for their 5 snippets.
const CHUNKS_PER_PAGE = 2;
const PAGE_CHUNK_CHARS = 600;
const pageText = snippetTexts.join(' ');
const chunks = Array.from({ length: 5 * CHUNKS_PER_PAGE }, (_, i) =>
  (pageText.slice((i * 397) % 1500) + pageText).slice(0, PAGE_CHUNK_CHARS),
);
const pageTexts = [...snippetTexts.slice(5), ...chunks];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] ?? 0)
    : ((s[s.length / 2 - 1] ?? 0) + (s[s.length / 2] ?? 0)) / 2;
};
const round = (x: number) => Math.round(x * 10) / 10;

async function modelDir(): Promise<{ dir: string; kind: string }> {
  if (values.model) return { dir: values.model, kind: 'given folder' };
  const dir = join(root, 'bench/work/minilm-shaped');
  if (!existsSync(join(dir, 'onnx/model_quantized.onnx'))) {
    const words = [
      ...new Set(`${query} ${pageText}`.toLowerCase().match(/[a-z0-9]+|[^\sa-z0-9]/g) ?? []),
    ];
    await buildMiniLmShapedModel(dir, { words });
  }
  return { dir, kind: 'all-MiniLM-L6-v2 shape, random weights' };
}

async function main() {
  const { dir, kind } = await modelDir();
  const importStart = performance.now();
  const { Embedder } = await import('../electron/core/rag/rank/embedder');
  const { rankPassages } = await import('../electron/core/rag/rank/rank-passages');
  const importMs = performance.now() - importStart;

  const rankOnce = async (embedder: EmbedderType | undefined, texts: string[]) => {
    const start = performance.now();
    const outcome = await rankPassages(
      query,
      texts.map((text) => ({ heading: '', text })),
      embedder ? { embedder } : {},
    );
    const top = outcome.ranked.slice(0, 5).map((r, n) => {
      const i = r.index % results.length;
      const result = results[i] ?? { title: '', url: `https://example.com/${i}`, snippet: '' };
      const source = {
        n: n + 1,
        title: result.title,
        url: result.url,
        domain: '',
        snippet: result.snippet,
        score: r.score,
        provider: 'bench',
      };
      return { source, passages: [texts[r.index] ?? ''] };
    });
    buildSearchContext(query, top);
    return performance.now() - start;
  };

  const variants: Record<string, unknown> = {};
  for (const quantized of [true, false]) {
    // No cache: every run embeds every text, as the first question about them does.
    const embedder = new Embedder({
      modelDir: dir,
      dataDir: join(root, 'bench/work'),
      quantized,
      cacheSize: 0,
    });
    const cold = await rankOnce(embedder, snippetTexts);
    const measure = async (texts: string[]) => {
      await rankOnce(embedder, texts);
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await rankOnce(embedder, texts));
      return {
        medianMs: round(median(times)),
        minMs: round(Math.min(...times)),
        maxMs: round(Math.max(...times)),
      };
    };
    variants[quantized ? 'int8' : 'fp32'] = {
      coldMs: round(cold),
      warm20Snippets: await measure(snippetTexts),
      warmWithPageChunks: await measure(pageTexts),
    };
    await embedder.dispose();
  }
  const bm25Times: number[] = [];
  for (let i = 0; i < runs; i++) bm25Times.push(await rankOnce(undefined, snippetTexts));
  const pipeline = await pipelineRun(dir);

  const report = {
    benchmark: 'rank20',
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model,
      cores: cpus().length,
      memoryGiB: round(totalmem() / 2 ** 30),
      loadAverage: loadavg().map(round),
    },
    node: process.version,
    // Others share this machine: the load average and this process's niceness say how much.
    niceness: getPriority(),
    model: { kind, dir },
    settings: {
      runs,
      query,
      candidates: { snippets: snippetTexts.length, withPageChunks: pageTexts.length },
      meanChars: { snippets: round(snippetTexts.join('').length / 20), chunks: PAGE_CHUNK_CHARS },
      what: 'rankPassages (BM25, embed query + best 32, cosine, reciprocal rank fusion) + buildSearchContext',
    },
    transformersImportMs: round(importMs),
    ...variants,
    bm25OnlyMedianMs: round(median(bm25Times)),
    pipeline,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const out = join(root, `bench/results/rank20-${report.date.slice(0, 10)}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
  console.log(`wrote ${out}`);
}

/**
 * The whole Search path against a SearXNG-compatible server and pages on 127.0.0.1, int8 model:
 * `rankedMs` is what the `ranked` event reports (work left after the pages arrive: page chunks
 * embedded, fused, context built), `totalMs` the question from start to sources. Each run's
 * results and pages carry the run number, so no text repeats from one question to the next.
 */
async function pipelineRun(dir: string) {
  const { createSearchPipeline } = await import('../electron/core/rag/search-pipeline');
  const { send, startLocalHttpServer } =
    await import('../electron/core/rag/testing/local-http-server');
  const server = await startLocalHttpServer((_request, response, url) => {
    const run =
      url.searchParams.get('q')?.match(/run (\d+)/)?.[1] ?? url.searchParams.get('r') ?? '0';
    if (url.pathname === '/search') {
      if (url.searchParams.get('pageno') !== '1')
        return send(response, 200, '{"results":[]}', 'application/json');
      const items = results.map((r, i) => ({
        url: `${server.origin}/pages/${i}?r=${run}`,
        title: `${r.title} (${run})`,
        content: `${r.snippet} Edition ${run}.`,
      }));
      return send(response, 200, JSON.stringify({ results: items }), 'application/json');
    }
    const index = Number(/\/pages\/(\d+)/.exec(url.pathname)?.[1] ?? 0);
    const body = Array.from(
      { length: 8 },
      (_, k) => `<p>${snippetTexts[(index + k) % 20]} Edition ${run}, part ${k}.</p>`,
    );
    send(
      response,
      200,
      `<html><head><title>Page ${index}</title></head><body><article>${body.join('')}</article></body></html>`,
    );
  });
  const pipeline = createSearchPipeline({
    dataDir: join(root, 'bench/work'),
    provider: 'searxng',
    searxngUrl: server.origin,
    embeddingModelDir: dir,
    allowPrivateHosts: [server.host],
  });
  const ranked: number[] = [];
  const total: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const start = performance.now();
    const events = pipeline.run(`${query} run ${run}`);
    let rankedMs = 0;
    for (let next = await events.next(); !next.done; next = await events.next()) {
      if (next.value.type === 'ranked') rankedMs = next.value.ms;
    }
    // Run 0 loads the model: it is the cold one.
    if (run > 0) {
      ranked.push(rankedMs);
      total.push(performance.now() - start);
    }
  }
  await pipeline.dispose();
  await server.close();
  return {
    what: '20 results, 5 pages read (2 best 600-character chunks each), int8, on 127.0.0.1',
    rankedMedianMs: round(median(ranked)),
    rankedMinMs: round(Math.min(...ranked)),
    totalMedianMs: round(median(total)),
    totalMinMs: round(Math.min(...total)),
  };
}

await main();
