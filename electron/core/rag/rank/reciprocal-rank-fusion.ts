/** Indices sorted by score, best first; ties keep the original order. */
export function orderByScore(scores: number[]): number[] {
  return scores
    .map((score, index) => ({ score, index }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((e) => e.index);
}

/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking gives an item 1/(k + rank), so an
 * item high in either list rises without the two score scales having to agree.
 */
export function reciprocalRankFusion(rankings: number[][], count: number, k = 60): number[] {
  const fused = new Array<number>(count).fill(0);
  for (const ranking of rankings) {
    ranking.forEach((index, rank) => {
      fused[index] = (fused[index] ?? 0) + 1 / (k + rank + 1);
    });
  }
  return fused;
}
