import { describe, expect, it } from 'vitest';
import { checkCorpusInstalled, MissingCorpusError } from './doc-corpus';
import { runRetrievalEval } from './run-retrieval-eval';

/**
 * The retrieval evaluation as a regression floor: Search's real pipeline (keyword ranking only, as
 * no embedding model can be fetched in CI) over Debian's documentation pages. The floors sit just
 * under what the pipeline reaches (bench/results/retrieval-*.json); a change that loses answers
 * fails the build. Reading budgets are raised so a busy test machine measures quality, not speed.
 */
const PASSAGE_HIT_FLOOR = 0.88;
const PAGE_RECALL_FLOOR = 0.94;

function corpusMissing(): string | undefined {
  try {
    checkCorpusInstalled();
    return undefined;
  } catch (error) {
    if (error instanceof MissingCorpusError) return error.message;
    throw error;
  }
}

const missing = corpusMissing();
if (missing && !process.env.CI) console.warn(`The retrieval evaluation did not run: ${missing}`);

describe.skipIf(missing !== undefined && !process.env.CI)('retrieval evaluation', () => {
  it('hands the model the answer passage and the answer page for the labelled questions', async () => {
    if (missing) throw new Error(missing);
    const report = await runRetrievalEval({
      timeouts: { readBudgetMs: 120_000, extractMs: 120_000 },
    });
    expect(report.questions).toBeGreaterThanOrEqual(40);
    expect(report.method).toBe('bm25');
    expect(report.passageHit).toBeGreaterThanOrEqual(PASSAGE_HIT_FLOOR);
    expect(report.pageRecallAt5).toBeGreaterThanOrEqual(PAGE_RECALL_FLOOR);
  }, 900_000);
});
