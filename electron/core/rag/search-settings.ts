import { PonderError } from '../errors';

export const SEARCH_PROVIDERS = ['duckduckgo', 'searxng', 'local'] as const;
export type SearchProviderName = (typeof SEARCH_PROVIDERS)[number];

export interface SearchTimeouts {
  /** One provider's answer (default 15 s). */
  searchMs: number;
  /** One page, all redirects included (default 8 s). */
  pageMs: number;
  /** Loading or downloading the embedding model (default 120 s). */
  modelLoadMs: number;
  /** Reading all pages of one question; pages not read by then are left to their snippets (default 3 s). */
  readBudgetMs: number;
  /** Extracting one page in its worker thread (default 4 s). */
  extractMs: number;
}

export interface SearchSettings {
  provider: SearchProviderName;
  /** Providers tried, in order, when the first is offline or blocked. */
  fallback: SearchProviderName[];
  /** Base URL of a SearXNG instance with the JSON format enabled. */
  searxngUrl?: string;
  /** A folder of txt/md/html files for the local provider. */
  docsDir?: string;
  /** A local all-MiniLM-L6-v2 folder in transformers.js format; nothing is downloaded when set. */
  embeddingModelDir?: string;
  /** A local cross-encoder folder (ms-marco-MiniLM-L-6-v2 family) for the last ranking stage. */
  rerankerModelDir?: string;
  /**
   * The cross-encoder stage: `auto` (default) runs it when a copy is present (the folder above, or
   * one downloaded before), `on` also downloads it on first use, `off` never runs it.
   */
  reranker: 'off' | 'auto' | 'on';
  /** Where the embedding model is downloaded from (default the Hugging Face hub). */
  embeddingRemoteHost?: string;
  /** Download the embedding model on first use (default true). */
  allowModelDownload: boolean;
  /** The app's data folder: the model cache and the local documents index live under it. */
  dataDir: string;
  /** Sources given to the model (default 5). */
  topK: number;
  /** Results asked of the provider (default 20). */
  resultCount: number;
  /** How many of the best results are fetched and read in full (default 8), budget allowing. */
  pagesToRead: number;
  /** Pages fetched at once (default 4). */
  fetchConcurrency: number;
  /** Passages given to the model, from all sources together, characters allowing (default 18). */
  passageCount: number;
  /**
   * Most passages from one source (default 18: as many as the passage count). Passages are taken
   * by rank, not by page: when the best passages all come from the page that answers, a lower cap
   * spends the room on worse passages of other pages, and lost 2 of 54 answers in the retrieval
   * evaluation.
   */
  passagesPerSource: number;
  /** Characters of passages given to the model (default 8000). */
  contextChars: number;
  /** Passages, best by keywords, that are embedded for the second ranking stage (default 32). */
  embedTop: number;
  /** Hosts (`name` or `name:port`) whose private addresses pages may be read from; empty by default. */
  allowPrivateHosts: string[];
  safeSearch: 'strict' | 'moderate' | 'off';
  /** DuckDuckGo region code such as `wt-wt` (no region) or `de-de`. */
  region: string;
  /** Largest page read, in bytes (default 2 MB). */
  maxPageBytes: number;
  timeouts: SearchTimeouts;
}

export type SearchSettingsInput = Partial<Omit<SearchSettings, 'timeouts'>> & {
  dataDir: string;
  timeouts?: Partial<SearchTimeouts>;
};

export const DEFAULT_TOP_K = 5;
export const DEFAULT_RESULT_COUNT = 20;

/** Fills in defaults and rejects values a person has to fix. */
export function resolveSearchSettings(input: SearchSettingsInput): SearchSettings {
  const settings: SearchSettings = {
    provider: input.provider ?? 'duckduckgo',
    fallback: input.fallback ?? [],
    searxngUrl: input.searxngUrl,
    docsDir: input.docsDir,
    embeddingModelDir: input.embeddingModelDir,
    embeddingRemoteHost: input.embeddingRemoteHost,
    rerankerModelDir: input.rerankerModelDir,
    reranker: input.reranker ?? 'auto',
    allowModelDownload: input.allowModelDownload ?? true,
    dataDir: input.dataDir,
    topK: input.topK ?? DEFAULT_TOP_K,
    resultCount: input.resultCount ?? DEFAULT_RESULT_COUNT,
    pagesToRead: input.pagesToRead ?? 8,
    fetchConcurrency: input.fetchConcurrency ?? 4,
    passageCount: input.passageCount ?? 18,
    passagesPerSource: input.passagesPerSource ?? 18,
    contextChars: input.contextChars ?? 8000,
    embedTop: input.embedTop ?? 32,
    allowPrivateHosts: input.allowPrivateHosts ?? [],
    safeSearch: input.safeSearch ?? 'moderate',
    region: input.region ?? 'wt-wt',
    maxPageBytes: input.maxPageBytes ?? 2_000_000,
    timeouts: {
      searchMs: 15_000,
      pageMs: 8000,
      modelLoadMs: 120_000,
      readBudgetMs: 3000,
      extractMs: 4000,
      ...input.timeouts,
    },
  };
  for (const name of [settings.provider, ...settings.fallback]) {
    if (!(SEARCH_PROVIDERS as readonly string[]).includes(name)) {
      throw new PonderError('invalid-input', `Unknown search provider "${name}".`, {
        hint: `Use one of: ${SEARCH_PROVIDERS.join(', ')}.`,
      });
    }
  }
  const positive = (value: number, name: string, max: number) => {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new PonderError('invalid-input', `${name} must be a whole number from 1 to ${max}.`);
    }
  };
  positive(settings.topK, 'top-k', 50);
  positive(settings.resultCount, 'The result count', 100);
  positive(settings.fetchConcurrency, 'The number of pages fetched at once', 16);
  positive(settings.passageCount, 'The number of passages', 50);
  positive(settings.passagesPerSource, 'The number of passages per source', 20);
  positive(settings.contextChars, 'The characters of passages', 100_000);
  positive(settings.embedTop, 'The number of passages embedded', 500);
  if (!Number.isInteger(settings.pagesToRead) || settings.pagesToRead < 0) {
    throw new PonderError('invalid-input', 'The number of pages to read must be 0 or more.');
  }
  if (settings.provider === 'searxng' && !settings.searxngUrl) {
    throw new PonderError('invalid-input', 'The SearXNG provider needs a base URL.', {
      hint: 'Pass --searxng-url http://host:port.',
    });
  }
  if (settings.provider === 'local' && !settings.docsDir) {
    throw new PonderError('invalid-input', 'The local documents provider needs a folder.', {
      hint: 'Pass --docs DIR.',
    });
  }
  return settings;
}
