import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerEvent, Source } from '../../shared';
import { PonderError } from '../errors';
import { buildSearchContext, type SourceWithPassages } from './build-context';
import { filterAnswer } from './filter-answer';
import { ProviderChain, type ProviderDeps } from './providers/provider-chain';
import { DEFAULT_EMBEDDING_MODEL, Embedder, type EmbeddingProgress } from './rank/embedder';
import { bm25Scores } from './rank/bm25';
import { rankCandidates } from './rank/rank-candidates';
import { orderByScore } from './rank/reciprocal-rank-fusion';
import { CHUNKS_PER_PAGE, readPages } from './read-pages';
import {
  resolveSearchSettings,
  type SearchSettings,
  type SearchSettingsInput,
} from './search-settings';
import type { SearchResult } from './search-types';

export interface SearchPipelineDeps extends ProviderDeps {
  /** An embedder to share (the pipeline then does not dispose it); `null` ranks by BM25 only. */
  embedder?: Embedder | null;
  onEmbeddingProgress?: (progress: EmbeddingProgress) => void;
}

export interface SearchPipeline {
  run(
    query: string,
    signal?: AbortSignal,
  ): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string }>;
  /** Drops citations to missing sources and links that are not sources' own. */
  postProcess(answer: string, sources: Source[]): string;
  dispose(): Promise<void>;
}

interface Candidate {
  result: SearchResult;
  /** What the model is given. */
  text: string;
  /** What is ranked: a chunk with its page's title. */
  rankText: string;
}

function domainOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? 'local' : parsed.hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** A page's chunks that share the most words with the question, in page order. */
function bestChunks(question: string, chunks: string[]): string[] {
  if (chunks.length <= CHUNKS_PER_PAGE) return chunks;
  const scores = bm25Scores(question, chunks);
  return orderByScore(scores)
    .slice(0, CHUNKS_PER_PAGE)
    .sort((a, b) => a - b)
    .map((i) => chunks[i] ?? '');
}

/** Picks the best `topK` distinct results by their best candidate, each with its best passages. */
function selectSources(
  candidates: Candidate[],
  ranked: { index: number; score: number }[],
  topK: number,
): SourceWithPassages[] {
  const chosen = new Map<string, SourceWithPassages>();
  for (const { index, score } of ranked) {
    const candidate = candidates[index];
    if (!candidate) continue;
    const existing = chosen.get(candidate.result.url);
    if (existing) {
      if (existing.passages.length < 2) existing.passages.push(candidate.text);
      continue;
    }
    if (chosen.size >= topK) continue;
    const { result } = candidate;
    chosen.set(result.url, {
      source: {
        n: chosen.size + 1,
        title: excerpt(result.title, 200) || domainOf(result.url),
        url: result.url,
        domain: domainOf(result.url),
        snippet: excerpt(result.snippet || candidate.text),
        score: Math.round(score * 1000) / 1000,
        provider: result.provider,
      },
      passages: [candidate.text],
    });
  }
  return [...chosen.values()];
}

/**
 * Search mode's retrieval: search (with fallback), read the best pages through the SSRF guard,
 * rank snippets and page chunks by meaning and keywords, and build the fenced, numbered context.
 */
export function createSearchPipeline(
  input: SearchSettings | SearchSettingsInput,
  deps: SearchPipelineDeps = {},
): SearchPipeline {
  const settings = resolveSearchSettings(input);
  const chain = new ProviderChain(settings, deps);
  const ownsEmbedder = deps.embedder === undefined;
  let embedder: Embedder | undefined =
    deps.embedder === null
      ? undefined
      : (deps.embedder ??
        new Embedder({
          dataDir: settings.dataDir,
          ...(settings.embeddingModelDir ? { modelDir: settings.embeddingModelDir } : {}),
          ...(settings.embeddingRemoteHost ? { remoteHost: settings.embeddingRemoteHost } : {}),
          allowDownload: settings.allowModelDownload,
          loadTimeoutMs: settings.timeouts.modelLoadMs,
          ...(deps.onEmbeddingProgress ? { onProgress: deps.onEmbeddingProgress } : {}),
        }));
  /** Once the model has failed to load, later questions go straight to BM25 and say why. */
  let embeddingFailure: string | undefined;
  let firstRank = true;

  async function* run(
    query: string,
    signal?: AbortSignal,
  ): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string }> {
    const question = query.trim();
    if (!question) throw new PonderError('invalid-input', 'The search question is empty.');
    yield { type: 'search-started', query: question, provider: chain.primary };
    const searchStart = performance.now();
    const { results, provider } = await chain.search(question, settings.resultCount, signal);
    yield {
      type: 'search-results',
      count: results.length,
      provider,
      ms: Math.round(performance.now() - searchStart),
    };

    if (firstRank && embedder && !settings.embeddingModelDir && settings.allowModelDownload) {
      const cached = join(
        settings.dataDir,
        'models',
        'embeddings',
        DEFAULT_EMBEDDING_MODEL,
        'onnx',
      );
      if (!existsSync(cached)) {
        yield {
          type: 'notice',
          text: 'Downloading the embedding model all-MiniLM-L6-v2 (first use only)…',
        };
      }
    }
    firstRank = false;

    // Snippets are embedded while the pages download; ranking then finds them in the cache.
    const snippetText = (result: SearchResult) =>
      result.content ?? `${result.title}. ${result.snippet}`;
    const ahead =
      embedder && !embeddingFailure
        ? embedder
            .embed([question, ...results.map(snippetText)], signal)
            .catch((error: unknown) => {
              if (error instanceof PonderError && error.code === 'embedding-unavailable') {
                embeddingFailure = `Ranked by keywords only (BM25): ${error.message}`;
              }
            })
        : undefined;
    const toRead = results.filter((r) => r.content === undefined).slice(0, settings.pagesToRead);
    const pages = await readPages(
      toRead,
      {
        allowPrivateHosts: settings.allowPrivateHosts,
        timeoutMs: settings.timeouts.pageMs,
        maxBytes: settings.maxPageBytes,
      },
      signal,
    );
    await ahead;
    const chunksByUrl = new Map(
      pages.filter((p) => p.chunks.length > 0).map((p) => [p.result.url, p.chunks]),
    );
    const candidates: Candidate[] = results.flatMap((result) => {
      const chunks = result.content === undefined ? chunksByUrl.get(result.url) : undefined;
      // A page that could not be read is represented by its title and snippet.
      if (!chunks) return [{ result, text: snippetText(result), rankText: snippetText(result) }];
      return bestChunks(question, chunks).map((chunk) => ({
        result,
        text: chunk,
        rankText: `${result.title}. ${chunk}`,
      }));
    });

    const rankStart = performance.now();
    const rankTexts = candidates.map((c) => c.rankText);
    const outcome = embeddingFailure
      ? await rankCandidates(question, rankTexts, undefined, signal)
      : await rankCandidates(question, rankTexts, embedder, signal);
    if (embeddingFailure) outcome.note = embeddingFailure;
    else if (outcome.method === 'bm25' && embedder) embeddingFailure = outcome.note;
    const chosen = selectSources(candidates, outcome.ranked, settings.topK);
    const context = buildSearchContext(question, chosen);
    yield {
      type: 'ranked',
      ms: Math.round(performance.now() - rankStart),
      method: outcome.method,
      ...(outcome.note ? { note: outcome.note } : {}),
    };
    yield { type: 'sources', sources: context.sources };
    return context;
  }

  return {
    run,
    postProcess: (answer, sources) => filterAnswer(answer, sources).text,
    async dispose() {
      await chain.dispose();
      if (ownsEmbedder) await embedder?.dispose();
      embedder = undefined;
    },
  };
}
