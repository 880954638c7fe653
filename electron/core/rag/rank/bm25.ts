/** Lower-case word tokens (letters and digits of any script), so names and numbers match exactly. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const STOPWORDS = new Set(
  'a an and are as at be by for from has have how in is it its of on or that the this to was were what when where which who why will with'.split(
    ' ',
  ),
);

/**
 * Okapi BM25 scores of each document against the query, over the documents given (they are the
 * whole collection: the candidates of one search).
 */
export function bm25Scores(query: string, documents: string[], k1 = 1.2, b = 0.75): number[] {
  const terms = [...new Set(tokenize(query).filter((t) => !STOPWORDS.has(t)))];
  const docs = documents.map(tokenize);
  const avgLength = docs.reduce((sum, d) => sum + d.length, 0) / Math.max(docs.length, 1) || 1;
  const frequencies = docs.map((tokens) => {
    const counts = new Map<string, number>();
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  });
  const idf = new Map<string, number>();
  for (const term of terms) {
    const containing = frequencies.filter((f) => f.has(term)).length;
    idf.set(term, Math.log(1 + (docs.length - containing + 0.5) / (containing + 0.5)));
  }
  return frequencies.map((counts, i) => {
    const length = docs[i]?.length ?? 0;
    let score = 0;
    for (const term of terms) {
      const tf = counts.get(term) ?? 0;
      if (tf === 0) continue;
      score +=
        ((idf.get(term) ?? 0) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * length) / avgLength));
    }
    return score;
  });
}
