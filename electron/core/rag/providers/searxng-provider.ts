import { PonderError } from '../../errors';
import type { ProviderSearchOptions, SearchProvider, SearchResult } from '../search-types';
import { plainText } from './plain-text';

interface SearxngAnswer {
  results?: { url?: unknown; title?: unknown; content?: unknown }[];
}

export interface SearxngProviderOptions {
  baseUrl: string;
  safeSearch?: 'strict' | 'moderate' | 'off';
  language?: string;
  /** Pages of results asked for at most, to reach the count (default 3). */
  maxPages?: number;
}

const SAFE_SEARCH = { off: '0', moderate: '1', strict: '2' } as const;

/** SearXNG through its JSON API (`/search?format=json`). */
export class SearxngProvider implements SearchProvider {
  readonly name = 'searxng';

  constructor(private readonly options: SearxngProviderOptions) {}

  private async page(query: string, pageno: number, signal?: AbortSignal): Promise<SearxngAnswer> {
    const url = new URL('search', this.options.baseUrl.replace(/\/?$/, '/'));
    url.search = new URLSearchParams({
      q: query,
      format: 'json',
      pageno: String(pageno),
      safesearch: SAFE_SEARCH[this.options.safeSearch ?? 'moderate'],
      ...(this.options.language ? { language: this.options.language } : {}),
    }).toString();
    let response: Response;
    try {
      response = await fetch(url, { signal, headers: { accept: 'application/json' } });
    } catch (error) {
      signal?.throwIfAborted();
      throw new PonderError('search-offline', `SearXNG at ${url.origin} cannot be reached.`, {
        hint: 'Check that the server is running and the --searxng-url is right.',
        cause: error,
      });
    }
    if (response.status === 429) {
      throw new PonderError(
        'search-blocked',
        `SearXNG at ${url.origin} is limiting requests (429).`,
        {
          hint: 'Wait a minute and try again.',
        },
      );
    }
    if (response.status === 403) {
      throw new PonderError(
        'search-blocked',
        `SearXNG at ${url.origin} refused the JSON API (403).`,
        {
          hint: 'Enable the json format under search.formats in its settings.yml.',
        },
      );
    }
    if (!response.ok) {
      throw new PonderError(
        'search-failed',
        `SearXNG at ${url.origin} answered ${response.status}.`,
      );
    }
    try {
      return (await response.json()) as SearxngAnswer;
    } catch {
      throw new PonderError('search-failed', `SearXNG at ${url.origin} did not answer with JSON.`, {
        hint: 'Is --searxng-url the base URL of a SearXNG instance?',
      });
    }
  }

  async search(query: string, { count, signal }: ProviderSearchOptions): Promise<SearchResult[]> {
    const results: SearchResult[] = [];
    const seen = new Set<string>();
    for (
      let pageno = 1;
      pageno <= (this.options.maxPages ?? 3) && results.length < count;
      pageno++
    ) {
      const answer = await this.page(query, pageno, signal);
      const items = Array.isArray(answer.results) ? answer.results : [];
      let added = 0;
      for (const item of items) {
        if (typeof item.url !== 'string' || seen.has(item.url) || results.length >= count) continue;
        seen.add(item.url);
        added++;
        results.push({
          title: plainText(item.title) || item.url,
          url: item.url,
          snippet: plainText(item.content),
          rank: results.length + 1,
          provider: this.name,
        });
      }
      if (added === 0) break;
    }
    return results;
  }
}
