import { describe, expect, it } from 'vitest';
import { bm25Scores } from './bm25';

// One page about temporary tables, where every passage says "temporary", and a page about
// dropping tables, where "dropped" is said twice in a passage.
const PAGES: [page: string, text: string][] = [
  ['create-table', 'Temporary tables live in a separate schema, unseen by other sessions.'],
  ['create-table', 'Temporary tables are not vacuumed by autovacuum; analyze them after loading.'],
  ['create-table', 'The standard has global and local temporary tables; this has only local.'],
  ['create-table', 'A temporary table can be created ON COMMIT DELETE ROWS.'],
  ['create-table', 'Indexes on a temporary table are temporary as well.'],
  ['create-table', 'Temporary sequences are made the same way as temporary tables.'],
  ['create-table', 'Temporary tables are dropped at the end of a session.'],
  ['drop-table', 'A table that is dropped is gone, and a dropped table frees its files.'],
  ['drop-table', 'DROP TABLE checks permissions before anything is dropped or dropped again.'],
  ['alter-table', 'ALTER TABLE changes the definition of an existing table.'],
];
const QUESTION = 'When is a temporary table dropped?';
const texts = PAGES.map(([, text]) => text);
const best = (scores: number[]) => scores.indexOf(Math.max(...scores));

describe('BM25 rarity judged by pages', () => {
  it('finds the answer on the page whose subject is asked about, where counting passages does not', () => {
    const answer = 'Temporary tables are dropped at the end of a session.';
    const byPassages = bm25Scores(QUESTION, texts);
    const byPages = bm25Scores(QUESTION, texts, { pageOf: PAGES.map(([page]) => page) });
    expect(texts[best(byPassages)]).not.toBe(answer);
    expect(texts[best(byPages)]).toBe(answer);
  });

  it('scores every passage the same way when the pages are not known', () => {
    const alone = bm25Scores(QUESTION, texts);
    const ownPages = bm25Scores(QUESTION, texts, { pageOf: texts.map((_, i) => String(i)) });
    ownPages.forEach((score, i) => expect(score).toBeCloseTo(alone[i] ?? 0, 10));
  });
});
