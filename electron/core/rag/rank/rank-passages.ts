import { formatAppError, PonderError } from '../../errors';
import { bm25Scores, countTerms, type TermCounts } from './bm25';
import { cosine, type Embedder } from './embedder';
import { orderByScore, reciprocalRankFusion } from './reciprocal-rank-fusion';
import type { Reranker } from './reranker';

export type PassageRankMethod = 'cross-encoder+embedding+bm25' | 'embedding+bm25' | 'bm25';

export interface RankPassagesOptions {
  embedder?: Embedder | undefined;
  reranker?: Reranker | undefined;
  /** Passages, best by keywords, that are embedded (default 32). */
  embedTop?: number;
  /** Passages, best so far, that the cross-encoder reads (default 12). */
  rerankTop?: number;
}

export interface RankablePassage {
  /** Where the passage sits: "Page › Section". */
  heading: string;
  text: string;
  /** The page it comes from (its address): a word's rarity is judged by pages as well. */
  page?: string;
}

/** Sections that say what a thing is: documentation and encyclopedias define things up front. */
const LEAD_SECTION =
  /(^|›\s*)([\d.]+\s*)?(description|overview|introduction|summary|abstract|name|about)\s*$/i;

/** How much more a passage of a lead section weighs by keywords; more when a definition is asked for. */
const LEAD_BOOST = 1.2;
const DEFINITION_LEAD_BOOST = 1.6;
const ASKS_FOR_DEFINITION = /^\s*(what\s+(is|are|does|do)\b|what's\b|define\b|meaning of\b)/i;

export function isLeadSection(heading: string): boolean {
  return !heading.includes('›') || LEAD_SECTION.test(heading);
}

export interface PassageRanking {
  /** Every candidate, best first; scores run from 0 to 1. */
  ranked: { index: number; score: number }[];
  method: PassageRankMethod;
  /** Why a stage was skipped, for the person reading the answer. */
  note?: string;
}

/** Passages counted between two turns of the event loop: each slice takes a few milliseconds. */
const SLICE = 25;

/**
 * Term counts of every passage, a slice at a time, yielding to the event loop in between: a few
 * thousand passages of a long page take longer than a frame to count.
 */
async function countInSlices(
  passages: RankablePassage[],
  signal?: AbortSignal,
): Promise<TermCounts[]> {
  const counted: TermCounts[] = [];
  for (let start = 0; start < passages.length; start += SLICE) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    signal?.throwIfAborted();
    for (const p of passages.slice(start, start + SLICE))
      counted.push(countTerms(p.text, p.heading));
  }
  return counted;
}

function scaled(scores: number[]): number[] {
  const max = Math.max(...scores, 0) || 1;
  return scores.map((s) => Math.max(0, s) / max);
}

/** Fuses rankings of the `top` head of `order`; the tail keeps its order after them. */
function fuseHead(order: number[], rankings: number[][], top: number): number[] {
  const head = order.slice(0, top);
  const local = new Map(head.map((index, position) => [index, position]));
  const localRankings = rankings.map((ranking) =>
    ranking.filter((index) => local.has(index)).map((index) => local.get(index) ?? 0),
  );
  const fused = reciprocalRankFusion(localRankings, head.length);
  return [...orderByScore(fused).map((position) => head[position] ?? 0), ...order.slice(top)];
}

/** A model that could not be loaded, to say so and rank without it; anything else is thrown. */
function unavailable(error: unknown, signal?: AbortSignal): PonderError {
  signal?.throwIfAborted();
  if (error instanceof PonderError && error.code === 'embedding-unavailable') return error;
  throw error;
}

/** The ranking's note when the embedding model did not load: what happened and what to do. */
export function keywordsOnlyNote(error: PonderError): string {
  return `Ranked by keywords only (BM25): ${formatAppError(error.toAppError())}`;
}

/**
 * Ranks passages in stages: BM25 over all of them; then sentence embeddings (cosine with the
 * question) over the best `embedTop`, fused with BM25 by reciprocal rank; then, when a
 * cross-encoder is present, its scores reorder the best `rerankTop`. Each stage
 * that cannot run is skipped, and the ranking says why.
 */
export async function rankPassages(
  question: string,
  passages: RankablePassage[],
  options: RankPassagesOptions = {},
  signal?: AbortSignal,
): Promise<PassageRanking> {
  // Headings (the page title first) weigh more than body text: a page titled after what is
  // asked is the likely answer.
  const leadBoost = ASKS_FOR_DEFINITION.test(question) ? DEFINITION_LEAD_BOOST : LEAD_BOOST;
  const counted = await countInSlices(passages, signal);
  const boosted = (scores: number[]) =>
    scores.map((score, i) =>
      isLeadSection(passages[i]?.heading ?? '') ? score * leadBoost : score,
    );
  const pageOf = passages.every((p) => p.page !== undefined)
    ? passages.map((p) => p.page ?? '')
    : undefined;
  let bm25 = boosted(bm25Scores(question, counted, { pageOf }));
  bm25 = scaled(bm25);
  const texts = passages.map((p) => (p.heading ? `${p.heading}: ${p.text}` : p.text));
  let order = orderByScore(bm25);
  const keywordOrder = order.filter((index) => (bm25[index] ?? 0) > 0);
  let score = bm25;
  if (!options.embedder) {
    return {
      ranked: order.map((index) => ({ index, score: score[index] ?? 0 })),
      method: 'bm25',
      note: 'Ranked by keywords only (BM25): no embedding model is configured.',
    };
  }
  const embedTop = Math.min(options.embedTop ?? 32, order.length);
  const head = order.slice(0, embedTop);
  try {
    const [questionVector, ...vectors] = await options.embedder.embed(
      [question, ...head.map((index) => texts[index] ?? '')],
      signal,
    );
    const cosines = new Map(
      head.map((index, i) => [
        index,
        questionVector && vectors[i] ? cosine(questionVector, vectors[i]) : 0,
      ]),
    );
    const semanticOrder = [...head].sort((a, b) => (cosines.get(b) ?? 0) - (cosines.get(a) ?? 0));
    order = fuseHead(order, [semanticOrder, keywordOrder], embedTop);
    score = texts.map((_, index) => cosines.get(index) ?? 0);
  } catch (error) {
    const note = keywordsOnlyNote(unavailable(error, signal));
    return {
      ranked: order.map((index) => ({ index, score: bm25[index] ?? 0 })),
      method: 'bm25',
      note,
    };
  }
  if (!options.reranker) {
    return {
      ranked: order.map((index) => ({ index, score: score[index] ?? 0 })),
      method: 'embedding+bm25',
    };
  }
  const rerankTop = Math.min(options.rerankTop ?? 12, order.length);
  const rerankHead = order.slice(0, rerankTop);
  try {
    const relevance = await options.reranker.score(
      question,
      rerankHead.map((index) => texts[index] ?? ''),
      signal,
    );
    const byIndex = new Map(rerankHead.map((index, i) => [index, relevance[i] ?? 0]));
    const crossOrder = [...rerankHead].sort(
      (a, b) => (byIndex.get(b) ?? 0) - (byIndex.get(a) ?? 0),
    );
    // A cross-encoder reads question and passage together, which the earlier stages cannot: its
    // order decides the head, and the earlier stages only break its ties.
    order = [...crossOrder, ...order.slice(rerankTop)];
  } catch (error) {
    const note = `Passages were not re-read by the cross-encoder: ${formatAppError(unavailable(error, signal).toAppError())}`;
    return {
      ranked: order.map((index) => ({ index, score: score[index] ?? 0 })),
      method: 'embedding+bm25',
      note,
    };
  }
  return {
    ranked: order.map((index) => ({ index, score: score[index] ?? 0 })),
    method: 'cross-encoder+embedding+bm25',
  };
}
