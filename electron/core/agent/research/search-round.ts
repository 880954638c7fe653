import type { AnswerEvent, ResearchStep, Source, SourcePassage } from '../../../shared';
import { toAppError } from '../../errors';
import type { SearchPort } from '../ports';
import { passagesOf } from './collected-sources';

export interface QueryOutcome {
  query: string;
  /** Events to pass on (search-started, search-results, ranked, notice); `sources` is held back. */
  events: AnswerEvent[];
  sources: Source[];
  passages: Map<number, SourcePassage[]>;
  ms: number;
  /** Why the search failed, when it did. */
  failure?: string;
}

async function searchOne(
  search: Pick<SearchPort, 'run'>,
  query: string,
  signal: AbortSignal,
): Promise<QueryOutcome> {
  const started = performance.now();
  const events: AnswerEvent[] = [];
  const run = search.run(query, signal);
  try {
    for (;;) {
      const next = await run.next();
      if (next.done) {
        return {
          query,
          events,
          sources: next.value.sources,
          passages: passagesOf(next.value.sources, next.value.systemPrompt),
          ms: Math.round(performance.now() - started),
        };
      }
      if (next.value.type !== 'sources') events.push(next.value);
    }
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'cancelled' || signal.aborted) throw error;
    return {
      query,
      events,
      sources: [],
      passages: new Map(),
      ms: Math.round(performance.now() - started),
      failure: appError.message,
    };
  }
}

/**
 * Searches each query of a round, `concurrency` at a time (each search already reads its pages
 * in parallel, and this machine may have two cores). Outcomes come back in query order.
 */
export async function searchRound(
  search: Pick<SearchPort, 'run'>,
  queries: string[],
  signal: AbortSignal,
  concurrency: number,
): Promise<QueryOutcome[]> {
  const outcomes: QueryOutcome[] = [];
  for (let start = 0; start < queries.length; start += concurrency) {
    const batch = queries.slice(start, start + concurrency);
    outcomes.push(...(await Promise.all(batch.map((query) => searchOne(search, query, signal)))));
  }
  return outcomes;
}

export function searchStep(outcome: QueryOutcome, round: number, added: number): ResearchStep {
  const found = outcome.sources.length;
  return {
    kind: 'search',
    round,
    query: outcome.query,
    count: found,
    ms: outcome.ms,
    text: outcome.failure
      ? `Search for “${outcome.query}” failed: ${outcome.failure}`
      : `Searched “${outcome.query}”: ${found} source${found === 1 ? '' : 's'}${added < found ? `, ${added} new` : ''}`,
  };
}
