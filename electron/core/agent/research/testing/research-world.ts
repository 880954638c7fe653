import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerEvent, ResearchStep } from '../../../../shared';
import { createSearchPipeline, type SearchPipeline } from '../../../rag';
import { startSearxngServer, type SearxngTestServer } from '../../../rag/testing/searxng-server';
import { RESEARCH_PAGES } from './research-pages';

export { HISTORY_CANARY, HOSTILE_SITE, HOSTILE_URL, RESEARCH_PAGES } from './research-pages';

const SLOW_MACHINE = { pageMs: 20_000, readBudgetMs: 20_000, extractMs: 20_000 };

export interface ResearchWorld {
  searx: SearxngTestServer;
  pipeline: SearchPipeline;
  /** The `q` of every search request the engine received, in order. */
  queries(): string[];
  close(): Promise<void>;
}

export async function startResearchWorld(): Promise<ResearchWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'ponder-research-'));
  const searx = await startSearxngServer(RESEARCH_PAGES);
  const pipeline = createSearchPipeline(
    {
      dataDir: join(dir, 'data'),
      provider: 'searxng',
      searxngUrl: searx.origin,
      allowPrivateHosts: [searx.host],
      pagesToRead: 5,
      // Page reading starts worker threads; on a busy two-core machine that can outlast the
      // default reading budget, and these tests are about the loop, not about reading speed.
      timeouts: SLOW_MACHINE,
    },
    { embedder: null },
  );
  return {
    searx,
    pipeline,
    queries: () =>
      searx.requests
        .map((request) => request.split(' ')[2] ?? '')
        .filter((path) => path.startsWith('/search?'))
        .map((path) => new URL(path, searx.origin).searchParams)
        // The provider asks for a second page of results; count each query once.
        .filter((params) => (params.get('pageno') ?? '1') === '1')
        .map((params) => params.get('q') ?? ''),
    async close() {
      await pipeline.dispose();
      await searx.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function stepsOf(events: AnswerEvent[]): ResearchStep[] {
  return events.flatMap((event) => (event.type === 'step' ? [event.step] : []));
}

export async function drain<T>(
  run: AsyncGenerator<AnswerEvent, T>,
): Promise<{ events: AnswerEvent[]; result: T }> {
  const events: AnswerEvent[] = [];
  for (;;) {
    const next = await run.next();
    if (next.done) return { events, result: next.value };
    events.push(next.value);
  }
}
