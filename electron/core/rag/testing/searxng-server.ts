import { send, startLocalHttpServer, type LocalHttpServer } from './local-http-server';

export interface FakePage {
  title: string;
  /** Shown by the search engine. */
  snippet: string;
  /** The page itself; undefined pages answer 404, so their snippet has to stand in. */
  html?: string;
}

export type SearxngMode = 'ok' | 'forbidden' | 'rate-limited' | 'not-json' | 'hang';

export interface SearxngTestServer extends LocalHttpServer {
  /** Changes how the search endpoint answers from now on. */
  setMode(mode: SearxngMode): void;
  /** The URL of the page at `index`. */
  pageUrl(index: number): string;
}

/**
 * A SearXNG-compatible server on 127.0.0.1: `/search?format=json` answers with the pages whose
 * text shares a word with the query, ten a page, and
 * `/pages/N` serves each page's HTML, so the whole search → read → rank path runs over real HTTP.
 */
export async function startSearxngServer(pages: FakePage[], port = 0): Promise<SearxngTestServer> {
  let mode: SearxngMode = 'ok';
  let origin = '';
  const server = await startLocalHttpServer((_request, response, url) => {
    const page = /^\/pages\/(\d+)$/.exec(url.pathname);
    if (page) {
      const html = pages[Number(page[1])]?.html;
      return html === undefined
        ? send(response, 404, '<h1>Not found</h1>')
        : send(response, 200, html);
    }
    if (url.pathname !== '/search') return send(response, 404, 'not found');
    if (mode === 'hang') return;
    if (mode === 'forbidden') return send(response, 403, '<h1>403 Forbidden</h1>');
    if (mode === 'rate-limited') return send(response, 429, 'Too Many Requests');
    if (mode === 'not-json' || url.searchParams.get('format') !== 'json')
      return send(response, 200, '<html>SearXNG</html>');
    const query = (url.searchParams.get('q') ?? '').toLowerCase();
    const words = query.match(/[a-z0-9]+/g) ?? [];
    const pageno = Number(url.searchParams.get('pageno') ?? '1');
    const results = pages
      .map((p, i) => ({
        url: `${origin}/pages/${i}`,
        title: p.title,
        content: p.snippet,
        engine: 'duckduckgo',
        engines: ['duckduckgo', 'brave'],
        score: 1,
        category: 'general',
        positions: [i + 1],
      }))
      .filter((_, i) =>
        words.some((w) => `${pages[i]?.title} ${pages[i]?.snippet}`.toLowerCase().includes(w)),
      );
    const body = {
      query,
      number_of_results: results.length,
      results: results.slice((pageno - 1) * 10, pageno * 10),
      answers: [],
      corrections: [],
      infoboxes: [],
      suggestions: [],
      unresponsive_engines: [],
    };
    send(response, 200, JSON.stringify(body), 'application/json');
  }, port);
  origin = server.origin;
  return {
    ...server,
    setMode: (next) => {
      mode = next;
    },
    pageUrl: (index) => `${origin}/pages/${index}`,
  };
}
