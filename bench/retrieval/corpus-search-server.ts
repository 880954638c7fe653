import { readFile } from 'node:fs/promises';
import {
  send,
  startLocalHttpServer,
  type LocalHttpServer,
} from '../../electron/core/rag/testing/local-http-server';
import type { CorpusPage } from './doc-corpus';
import type { PlannedResults } from './search-plan';

/**
 * A SearXNG-compatible search engine on 127.0.0.1 over the documentation corpus: each planned
 * question answers with its 20 pages, ten a page as SearXNG does, and `/docs/<key>` serves the
 * real HTML files.
 */
export async function startCorpusSearchServer(
  corpus: CorpusPage[],
  plans: PlannedResults[],
): Promise<LocalHttpServer> {
  const byKey = new Map(corpus.map((page) => [page.key, page]));
  const byQuery = new Map(plans.map((plan) => [plan.question.question, plan]));
  let origin = '';
  const server = await startLocalHttpServer(async (_request, response, url) => {
    if (url.pathname.startsWith('/docs/')) {
      const page = byKey.get(decodeURIComponent(url.pathname.slice('/docs/'.length)));
      if (!page) return send(response, 404, '<h1>Not found</h1>');
      return send(response, 200, await readFile(page.file, 'utf8'));
    }
    if (url.pathname !== '/search' || url.searchParams.get('format') !== 'json') {
      return send(response, 404, 'not found');
    }
    const plan = byQuery.get(url.searchParams.get('q') ?? '');
    const pageno = Number(url.searchParams.get('pageno') ?? '1');
    const results = (plan?.pages ?? []).map((key, index) => {
      const page = byKey.get(key);
      return {
        url: `${origin}/docs/${key}`,
        title: page?.title ?? key,
        content: page?.snippet ?? '',
        engine: 'duckduckgo',
        engines: ['duckduckgo'],
        score: 1 / (index + 1),
        category: 'general',
        positions: [index + 1],
      };
    });
    const body = {
      query: plan?.question.question ?? '',
      number_of_results: results.length,
      results: results.slice((pageno - 1) * 10, pageno * 10),
      answers: [],
      corrections: [],
      infoboxes: [],
      suggestions: [],
      unresponsive_engines: [],
    };
    return send(response, 200, JSON.stringify(body), 'application/json');
  });
  origin = server.origin;
  return server;
}
