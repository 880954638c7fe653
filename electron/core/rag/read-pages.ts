import type { PagePassage } from './chunk/chunk-page';
import type { ExtractionPool } from './extract/extraction-pool';
import { safeFetch, type SafeFetchOptions } from './fetch/safe-fetch';
import type { SearchResult } from './search-types';

export interface ReadPage {
  result: SearchResult;
  /** The page's passages; empty when it could not be read (its snippet stands in). */
  passages: PagePassage[];
  /** Why the page was not read. */
  error?: string;
}

export interface ReadPagesOptions extends Omit<SafeFetchOptions, 'signal'> {
  pool: ExtractionPool;
  /** Pages fetched at once (default 4). */
  concurrency?: number;
  /** Time for reading all pages; pages not read by then are left to their snippets (default 3 s). */
  budgetMs?: number;
  maxTokens?: number;
  overlapTokens?: number;
}

const TEXT_TYPES = /html|xml|text\/plain/i;

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error))
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

/**
 * Fetches and extracts pages, a few at a time, within one time budget: a slow page never holds
 * the answer back, and a failure (binary, huge, malformed, refused, too slow) costs only that
 * page, with its reason.
 */
export async function readPages(
  results: SearchResult[],
  options: ReadPagesOptions,
  signal?: AbortSignal,
): Promise<ReadPage[]> {
  const {
    pool,
    concurrency = 4,
    budgetMs = 3000,
    maxTokens,
    overlapTokens,
    ...fetchOptions
  } = options;
  const budget = new AbortController();
  // The budget is for slow pages, not for the page reader's own start-up: it starts once a
  // worker is ready (fetching starts at once either way).
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  void pool.ready().then(() => {
    if (finished) return;
    timer = setTimeout(() => budget.abort(), budgetMs);
    timer.unref();
  });
  const stop = signal ? AbortSignal.any([signal, budget.signal]) : budget.signal;
  const pages: ReadPage[] = results.map((result) => ({
    result,
    passages: [],
    error: `not read within the ${(budgetMs / 1000).toFixed(1)} s reading budget`,
  }));

  async function readOne(index: number): Promise<void> {
    const page = pages[index];
    if (!page) return;
    try {
      const fetched = await safeFetch(page.result.url, { ...fetchOptions, signal: stop });
      if (fetched.status >= 400) {
        page.error = `HTTP ${fetched.status}`;
        return;
      }
      const contentType = fetched.contentType || 'text/html';
      if (!TEXT_TYPES.test(contentType)) {
        page.error = `not a text page (${contentType.slice(0, 80)})`;
        return;
      }
      const extracted = await pool.extract(
        {
          body: fetched.body,
          contentType,
          ...(maxTokens ? { maxTokens } : {}),
          ...(overlapTokens ? { overlapTokens } : {}),
        },
        stop,
      );
      page.passages = extracted.passages;
      if (extracted.passages.length > 0) delete page.error;
      else page.error = 'no readable text';
    } catch (error) {
      signal?.throwIfAborted();
      if (!budget.signal.aborted) page.error = reason(error);
    }
  }

  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, results.length) }, async () => {
    while (next < results.length && !stop.aborted) await readOne(next++);
  });
  try {
    await Promise.all(lanes);
  } finally {
    finished = true;
    if (timer) clearTimeout(timer);
  }
  signal?.throwIfAborted();
  return pages;
}
