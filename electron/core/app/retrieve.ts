import type { RetrievalOptions, RetrievalReport } from '../../shared';
import type { SearchPort } from '../agent';
import { PonderError } from '../errors';

/**
 * Runs Search's retrieval alone, with no model: the numbered sources with the passages the model
 * would be given, which pages were read and which were not, and how they were ranked.
 */
export async function retrieve(
  search: SearchPort | undefined,
  question: string,
  options: RetrievalOptions = {},
  signal?: AbortSignal,
): Promise<RetrievalReport> {
  if (!search) throw new PonderError('invalid-input', 'Search is not available in this setup.');
  const start = performance.now();
  const report: RetrievalReport = {
    question: question.trim(),
    provider: '',
    resultCount: 0,
    pagesRead: 0,
    unread: [],
    method: 'bm25',
    sources: [],
    ms: 0,
  };
  const run = search.run(question, signal, options);
  for (let step = await run.next(); !step.done; step = await run.next()) {
    const event = step.value;
    if (event.type === 'search-results') {
      report.provider = event.provider;
      report.resultCount = event.count;
      report.pagesRead = event.pagesRead ?? 0;
      report.unread = event.unread ?? [];
    } else if (event.type === 'ranked') {
      report.method = event.method;
      if (event.note) report.note = event.note;
    } else if (event.type === 'sources') {
      report.sources = event.sources;
    }
  }
  report.ms = Math.round(performance.now() - start);
  return report;
}
