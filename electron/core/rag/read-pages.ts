import { chunkText } from './chunk-text';
import { textOfDocument } from './extract/readable-text';
import { safeFetch, type SafeFetchOptions } from './fetch/safe-fetch';
import type { SearchResult } from './search-types';

/** Chunk length for read pages: about 130 word pieces, a fraction of the embedder's window. */
export const PAGE_CHUNK_CHARS = 600;

/**
 * Page chunks given to the embedder per page: embedding cost grows with the text embedded, and
 * the best two by keywords seldom miss the passage the sources need.
 */
export const CHUNKS_PER_PAGE = 2;

export interface ReadPage {
  result: SearchResult;
  /** Chunks of the page's readable text; empty when it could not be read (its snippet stands in). */
  chunks: string[];
  /** Why the page was not read. */
  error?: string;
}

export interface ReadPagesOptions extends Omit<SafeFetchOptions, 'signal'> {
  maxChunksPerPage?: number;
}

/** Fetches and extracts the given results' pages in parallel; a failure only costs that page. */
export async function readPages(
  results: SearchResult[],
  options: ReadPagesOptions,
  signal?: AbortSignal,
): Promise<ReadPage[]> {
  const maxChunks = options.maxChunksPerPage ?? 10;
  return Promise.all(
    results.map(async (result): Promise<ReadPage> => {
      try {
        const page = await safeFetch(result.url, { ...options, ...(signal ? { signal } : {}) });
        if (page.status >= 400) return { result, chunks: [], error: `HTTP ${page.status}` };
        if (!/html|xml|text\/plain/i.test(page.contentType || 'text/html')) {
          return { result, chunks: [], error: `not a text page (${page.contentType})` };
        }
        const { text } = textOfDocument(page.body, page.contentType || 'text/html', page.url);
        return {
          result,
          chunks: chunkText(text, { maxChars: PAGE_CHUNK_CHARS })
            .slice(0, maxChunks)
            .map((c) => c.text),
        };
      } catch (error) {
        signal?.throwIfAborted();
        return {
          result,
          chunks: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
    }),
  );
}
