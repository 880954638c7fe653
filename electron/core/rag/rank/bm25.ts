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
 * How much of a term's rarity is judged by pages rather than passages. The passages of one long
 * page repeat its subject, so counted passage by passage the word that sets the answer page apart
 * from the other results ("temporary" on CREATE TABLE's page) looks common; counted page by page,
 * each page says it once. Passage counts still separate words that every page shares. In the
 * retrieval evaluation any share from 0.7 to 0.9 hands the model the same two more answers and
 * loses none.
 */
const PAGE_RARITY_SHARE = 0.8;

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** The page each document comes from; without it every document is its own page. */
  pageOf?: readonly string[];
}

function inverseFrequency(containing: number, total: number): number {
  return Math.log(1 + (total - containing + 0.5) / (containing + 0.5));
}

/** Each term's rarity: by passages, blended with by pages when the pages are known. */
function rarities(terms: string[], docs: TermCounts[], pageOf?: readonly string[]) {
  const pages = pageOf ? new Set(pageOf).size : 0;
  const idf = new Map<string, number>();
  for (const term of terms) {
    let containing = 0;
    const pagesContaining = new Set<string>();
    docs.forEach((doc, i) => {
      if (!doc.counts.has(term)) return;
      containing++;
      const page = pageOf?.[i];
      if (page !== undefined) pagesContaining.add(page);
    });
    const byPassage = inverseFrequency(containing, docs.length);
    idf.set(
      term,
      pages > 0
        ? (1 - PAGE_RARITY_SHARE) * byPassage +
            PAGE_RARITY_SHARE * inverseFrequency(pagesContaining.size, pages)
        : byPassage,
    );
  }
  return idf;
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
  { k1 = 1.2, b = 0.75, pageOf }: Bm25Options = {},
): number[] {
  const terms = [...new Set(searchTerms(query))];
  const docs = documents.map((d) => (typeof d === 'string' ? countTerms(d) : d));
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(docs.length, 1) || 1;
  const idf = rarities(terms, docs, pageOf);
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
