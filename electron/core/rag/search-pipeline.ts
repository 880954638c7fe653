import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerEvent, RetrievalOptions, Source } from '../../shared';
import { PonderError } from '../errors';
import { buildSearchContext, neutralizeUrls } from './build-context';
import { ExtractionPool } from './extract/extraction-pool';
import { filterAnswer } from './filter-answer';
import { ProviderChain, type ProviderDeps } from './providers/provider-chain';
import { DEFAULT_EMBEDDING_MODEL, Embedder, type EmbeddingProgress } from './rank/embedder';
import { CrossEncoder, DEFAULT_RERANKER_MODEL } from './rank/cross-encoder';
import { keywordsOnlyNote, rankPassages } from './rank/rank-passages';
import type { Reranker } from './rank/reranker';
import { readPages } from './read-pages';
import {
  resolveSearchSettings,
  type SearchSettings,
  type SearchSettingsInput,
} from './search-settings';
import type { SearchResult } from './search-types';
import { selectSources, type PassageCandidate } from './select-sources';
import { normalizeUrl } from './url-text';

export interface SearchPipelineDeps extends ProviderDeps {
  /** An embedder to share (the pipeline then does not dispose it); `null` ranks by BM25 only. */
  embedder?: Embedder | null;
  /** A cross-encoder for the last ranking stage; none by default. */
  reranker?: Reranker | null;
  onEmbeddingProgress?: (progress: EmbeddingProgress) => void;
  /** Extract pages on the calling thread (only where worker files cannot exist). */
  inlineExtraction?: boolean;
}

export interface SearchOutcome {
  sources: Source[];
  systemPrompt: string;
}

export interface SearchPipeline {
  run(
    query: string,
    signal?: AbortSignal,
    options?: RetrievalOptions,
  ): AsyncGenerator<AnswerEvent, SearchOutcome>;
  /** Drops citations to missing sources and links that are not sources' own. */
  postProcess(answer: string, sources: Source[]): string;
  dispose(): Promise<void>;
}

/** The cross-encoder stage, when the settings ask for it and a copy is present (or may be downloaded). */
function crossEncoderFor(
  settings: SearchSettings,
  deps: SearchPipelineDeps,
): CrossEncoder | undefined {
  if (settings.reranker === 'off') return undefined;
  const downloaded = existsSync(
    join(settings.dataDir, 'models', 'rerankers', DEFAULT_RERANKER_MODEL),
  );
  if (settings.reranker === 'auto' && !settings.rerankerModelDir && !downloaded) return undefined;
  return new CrossEncoder({
    dataDir: settings.dataDir,
    ...(settings.rerankerModelDir ? { modelDir: settings.rerankerModelDir } : {}),
    ...(settings.embeddingRemoteHost ? { remoteHost: settings.embeddingRemoteHost } : {}),
    // A copy downloaded before is read from the cache; a new download only when asked for.
    allowDownload: settings.allowModelDownload && (settings.reranker === 'on' || downloaded),
    loadTimeoutMs: settings.timeouts.modelLoadMs,
    ...(deps.onEmbeddingProgress ? { onProgress: deps.onEmbeddingProgress } : {}),
  });
}

const snippetText = (result: SearchResult) =>
  result.content ?? `${result.title}. ${result.snippet}`;

/** Every passage of every page read, and the snippet of each result that was not read. */
function candidatesOf(
  results: SearchResult[],
  passagesByUrl: Map<string, { text: string; section: string; offset: number }[]>,
): PassageCandidate[] {
  return results.flatMap((result): PassageCandidate[] => {
    const passages = passagesByUrl.get(result.url);
    if (!passages || passages.length === 0) {
      const text = snippetText(result);
      const place = result.content !== undefined ? result.contentPlace : undefined;
      return [
        {
          result,
          passage: { text, section: place?.section ?? '', offset: place?.offset ?? -1 },
          rank: {
            heading: place?.section || result.title,
            text: result.content ?? result.snippet,
            page: result.url,
          },
        },
      ];
    }
    return passages.map((passage) => ({
      result,
      passage,
      rank: { heading: passage.section || result.title, text: passage.text, page: result.url },
    }));
  });
}

/**
 * Search mode's retrieval: search (with fallback), read the best pages through the SSRF guard in
 * worker threads within a time budget, split them into passages by their structure, rank every
 * passage in stages (BM25, then embeddings, then a cross-encoder when present), and build the
 * fenced, numbered context from the best passages.
 */
export function createSearchPipeline(
  input: SearchSettings | SearchSettingsInput,
  deps: SearchPipelineDeps = {},
): SearchPipeline {
  const settings = resolveSearchSettings(input);
  const chain = new ProviderChain(settings, deps);
  const pool = new ExtractionPool({
    pageBudgetMs: settings.timeouts.extractMs,
    ...(deps.inlineExtraction ? { inline: true } : {}),
  });
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
  const reranker =
    deps.reranker === null ? undefined : (deps.reranker ?? crossEncoderFor(settings, deps));
  const ownsReranker = deps.reranker === undefined;
  /** Once the model has failed to load, later questions go straight to BM25 and say why. */
  let embeddingFailure: string | undefined;
  let firstRank = true;

  async function* run(
    query: string,
    signal?: AbortSignal,
    options: RetrievalOptions = {},
  ): AsyncGenerator<AnswerEvent, SearchOutcome> {
    const question = query.trim();
    if (!question) throw new PonderError('invalid-input', 'The search question is empty.');
    pool.warm();
    yield { type: 'search-started', query: question, provider: chain.primary };
    const searchStart = performance.now();
    const { results, provider } = await chain.search(question, settings.resultCount, signal);
    const searchMs = Math.round(performance.now() - searchStart);

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

    // The embedding model loads while the pages download.
    const warmUp =
      embedder && !embeddingFailure
        ? embedder.embed([question], signal).catch((error: unknown) => {
            if (error instanceof PonderError && error.code === 'embedding-unavailable') {
              embeddingFailure = keywordsOnlyNote(error);
            }
          })
        : undefined;
    const toRead = results.filter((r) => r.content === undefined).slice(0, settings.pagesToRead);
    const pages = await readPages(
      toRead,
      {
        pool,
        allowPrivateHosts: settings.allowPrivateHosts,
        timeoutMs: settings.timeouts.pageMs,
        maxBytes: settings.maxPageBytes,
        concurrency: settings.fetchConcurrency,
        budgetMs: settings.timeouts.readBudgetMs,
      },
      signal,
    );
    await warmUp;
    const read = pages.filter((p) => p.passages.length > 0);
    yield {
      type: 'search-results',
      count: results.length,
      provider,
      ms: searchMs,
      // Local documents come with their text: each one among the results counts as read.
      pagesRead:
        read.length +
        new Set(results.filter((r) => r.content !== undefined).map((r) => r.url)).size,
      unread: pages
        .filter((p) => p.error)
        .map((p) => ({ url: p.result.url, reason: p.error ?? '' })),
    };

    const candidates = candidatesOf(results, new Map(read.map((p) => [p.result.url, p.passages])));
    const rankStart = performance.now();
    const ranking = await rankPassages(
      question,
      candidates.map((c) => c.rank),
      {
        embedder: embeddingFailure ? undefined : embedder,
        reranker,
        embedTop: settings.embedTop,
      },
      signal,
    );
    if (embeddingFailure && ranking.method === 'bm25') ranking.note = embeddingFailure;
    else if (ranking.method === 'bm25' && embedder) embeddingFailure = ranking.note;
    const chosen = selectSources(candidates, ranking.ranked, {
      topK: options.topK ?? settings.topK,
      passageCount: settings.passageCount,
      perSource: settings.passagesPerSource,
      maxChars: settings.contextChars,
    });
    // Addresses inside page text that are not sources never reach the model or the screen.
    const allowed = new Set(chosen.map((item) => normalizeUrl(item.source.url)));
    for (const item of chosen) {
      for (const passage of item.source.passages ?? [])
        passage.text = neutralizeUrls(passage.text, allowed);
      item.passages = (item.source.passages ?? []).map((p) => p.text);
    }
    const context = buildSearchContext(question, chosen, {
      maxChars: settings.contextChars + 1000,
    });
    yield {
      type: 'ranked',
      ms: Math.round(performance.now() - rankStart),
      method: ranking.method,
      ...(ranking.note ? { note: ranking.note } : {}),
    };
    yield { type: 'sources', sources: context.sources };
    return context;
  }

  return {
    run,
    postProcess: (answer, sources) => filterAnswer(answer, sources).text,
    async dispose() {
      await chain.dispose();
      await pool.dispose();
      if (ownsEmbedder) await embedder?.dispose();
      if (ownsReranker) await reranker?.dispose();
      embedder = undefined;
    },
  };
}
