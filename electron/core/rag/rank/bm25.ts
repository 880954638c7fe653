import { searchTerms } from './search-terms';

/** Term counts of one document, computed once and reused by every query over it. */
export interface TermCounts {
  counts: Map<string, number>;
  length: number;
}

/** Counts a document's terms; a field with weight w counts each of its terms w times (BM25F). */
export function countTerms(text: string, heading = '', headingWeight = 3): TermCounts {
  const counts = new Map<string, number>();
  let length = 0;
  for (const [fieldText, weight] of [
    [heading, headingWeight],
    [text, 1],
  ] as const) {
    const terms = searchTerms(fieldText);
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + weight);
    length += terms.length * weight;
  }
  return { counts, length };
}

/**
 * Okapi BM25 scores of each document against the query, over the documents given (they are the
 * whole collection: the candidates of one search). A document shorter than the average is scored
 * as if it were average, so a 30-word search snippet does not outrank a real passage just for
 * being short.
 */
export function bm25Scores(
  query: string,
  documents: (string | TermCounts)[],
  k1 = 1.2,
  b = 0.75,
): number[] {
  const terms = [...new Set(searchTerms(query))];
  const docs = documents.map((d) => (typeof d === 'string' ? countTerms(d) : d));
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(docs.length, 1) || 1;
  const idf = new Map<string, number>();
  for (const term of terms) {
    let containing = 0;
    for (const doc of docs) if (doc.counts.has(term)) containing++;
    idf.set(term, Math.log(1 + (docs.length - containing + 0.5) / (containing + 0.5)));
  }
  return docs.map(({ counts, length }) => {
    const norm = 1 - b + (b * Math.max(length, avgLength)) / avgLength;
    let score = 0;
    for (const term of terms) {
      const tf = counts.get(term) ?? 0;
      if (tf === 0) continue;
      score += ((idf.get(term) ?? 0) * tf * (k1 + 1)) / (tf + k1 * norm);
    }
    return score;
  });
}
