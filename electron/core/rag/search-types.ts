/** One hit from a search provider, in the provider's order. */
export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
  /** 1-based position in the provider's answer. */
  rank: number;
  provider: string;
  /** The passage itself, when the provider already holds it (local documents): no page is fetched. */
  content?: string;
  /** Where `content` sits in its document: its section path and character offset. */
  contentPlace?: { section: string; offset: number };
}

export interface ProviderSearchOptions {
  count: number;
  signal?: AbortSignal;
}

/** Every search backend looks the same to the pipeline. */
export interface SearchProvider {
  readonly name: string;
  search(query: string, options: ProviderSearchOptions): Promise<SearchResult[]>;
  dispose?(): void | Promise<void>;
}
