import { PonderError } from '../../errors';
import { bm25Scores } from './bm25';
import { cosine, type Embedder } from './embedder';
import { orderByScore, reciprocalRankFusion } from './reciprocal-rank-fusion';

export type RankMethod = 'embedding+bm25' | 'bm25';

export interface RankedItem {
  index: number;
  /** Cosine with the query when embeddings ran, else BM25 scaled to 0–1. */
  score: number;
}

export interface RankOutcome {
  /** Every candidate, best first. */
  ranked: RankedItem[];
  method: RankMethod;
  /** Why ranking fell back to BM25, for the person reading the answer. */
  note?: string;
}

function bm25Only(bm25: number[], note?: string): RankOutcome {
  const max = Math.max(...bm25, 0) || 1;
  const ranked = orderByScore(bm25).map((index) => ({ index, score: (bm25[index] ?? 0) / max }));
  return note === undefined ? { ranked, method: 'bm25' } : { ranked, method: 'bm25', note };
}

/**
 * Ranks candidate texts against the query: cosine of sentence embeddings fused with BM25 by
 * reciprocal rank, so exact names and numbers are not lost. Without an embedder (or when its
 * model cannot be loaded) the ranking is BM25 alone and says why.
 */
export async function rankCandidates(
  query: string,
  texts: string[],
  embedder: Embedder | undefined,
  signal?: AbortSignal,
): Promise<RankOutcome> {
  const bm25 = bm25Scores(query, texts);
  if (!embedder)
    return bm25Only(bm25, 'Ranked by keywords only (BM25): no embedding model is configured.');
  let vectors: Float32Array[];
  try {
    vectors = await embedder.embed([query, ...texts], signal);
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof PonderError && error.code === 'embedding-unavailable') {
      return bm25Only(bm25, `Ranked by keywords only (BM25): ${error.message}`);
    }
    throw error;
  }
  const [queryVector, ...textVectors] = vectors;
  if (!queryVector) return bm25Only(bm25);
  const cosines = textVectors.map((v) => cosine(queryVector, v));
  // Candidates without a single query word get no keyword vote, rather than an arbitrary place.
  const keywordRanking = orderByScore(bm25).filter((index) => (bm25[index] ?? 0) > 0);
  const fused = reciprocalRankFusion([orderByScore(cosines), keywordRanking], texts.length);
  const ranked = orderByScore(fused).map((index) => ({ index, score: cosines[index] ?? 0 }));
  return { ranked, method: 'embedding+bm25' };
}
