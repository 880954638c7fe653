export {
  createSearchPipeline,
  type SearchPipeline,
  type SearchPipelineDeps,
} from './search-pipeline';
export {
  resolveSearchSettings,
  SEARCH_PROVIDERS,
  DEFAULT_TOP_K,
  DEFAULT_RESULT_COUNT,
  type SearchSettings,
  type SearchSettingsInput,
  type SearchProviderName,
  type SearchTimeouts,
} from './search-settings';
export type { SearchResult, SearchProvider, ProviderSearchOptions } from './search-types';
export { filterAnswer, type FilteredAnswer } from './filter-answer';
export { buildSearchContext, type BuiltContext, type SourceWithPassages } from './build-context';
export {
  Embedder,
  DEFAULT_EMBEDDING_MODEL,
  type EmbedderOptions,
  type EmbeddingProgress,
} from './rank/embedder';
export {
  rankPassages,
  type PassageRanking,
  type PassageRankMethod,
  type RankablePassage,
} from './rank/rank-passages';
export { safeFetch, type SafeFetchOptions, type FetchedPage } from './fetch/safe-fetch';
export { isBlockedAddress } from './fetch/ip-policy';
export { readableText } from './extract/readable-text';
export { chunkPage, type PagePassage } from './chunk/chunk-page';
export { DuckDuckGoProvider } from './providers/duckduckgo-provider';
export { SearxngProvider } from './providers/searxng-provider';
export { LocalDocsProvider } from './providers/local-docs-provider';
export { LocalDocsIndex } from './providers/local-docs-index';
