/**
 * Corpus-level BLEU as sacreBLEU 2.x computes it (`sacrebleu.corpus_bleu`): 13a tokenization,
 * n-grams up to 4 clipped by their highest count in any reference, the closest reference length
 * (shorter on ties) for the brevity penalty, and `exp` smoothing by default.
 */
export type BleuTokenizer = '13a' | 'none';
export type BleuSmoothing = 'exp' | 'floor' | 'none';

export interface BleuOptions {
  /** @default '13a' */
  tokenize?: BleuTokenizer;
  /** @default 'exp' */
  smoothMethod?: BleuSmoothing;
  /** For `floor`. @default 0.1 */
  smoothValue?: number;
  /** Average only up to the highest n-gram order the hypotheses have. @default false */
  effectiveOrder?: boolean;
}

export interface BleuResult {
  /** 0–100, as sacreBLEU reports it. */
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const MAX_ORDER = 4;

/** sacreBLEU's tokenizer_13a, equivalent to mteval-v13a used by WMT. */
export function tokenize13a(line: string): string {
  let text = line
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  text = ` ${text} `;
  text = text.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  text = text.replace(/([^0-9])([.,])/g, '$1 $2 ');
  text = text.replace(/([.,])([^0-9])/g, ' $1 $2');
  text = text.replace(/([0-9])(-)/g, '$1 $2 ');
  return text.trim().split(/\s+/).filter(Boolean).join(' ');
}

function ngrams(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let order = 1; order <= MAX_ORDER; order++) {
    for (let start = 0; start + order <= tokens.length; start++) {
      const gram = tokens.slice(start, start + order).join(' ');
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
  }
  return counts;
}

/** sacreBLEU's my_log: log(0) is a very large negative number rather than -Infinity. */
const safeLog = (value: number): number => (value === 0 ? -9999999999 : Math.log(value));

/** BLEU from its sufficient statistics (sacreBLEU's BLEU.compute_bleu). */
export function bleuFromStatistics(
  counts: number[],
  totals: number[],
  sysLen: number,
  refLen: number,
  options: BleuOptions = {},
): BleuResult {
  const smoothMethod = options.smoothMethod ?? 'exp';
  const smoothValue = options.smoothValue ?? 0.1;
  const precisions = new Array<number>(MAX_ORDER).fill(0);
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const result = { counts, totals, precisions, bp, sysLen, refLen };
  if (counts.every((count) => count === 0)) return { score: 0, ...result };
  let smoothMteval = 1;
  let effectiveOrder = MAX_ORDER;
  for (let n = 0; n < MAX_ORDER; n++) {
    const total = totals[n] ?? 0;
    const count = counts[n] ?? 0;
    if (total === 0) break;
    if (options.effectiveOrder) effectiveOrder = n + 1;
    if (count === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n] = 100 / (smoothMteval * total);
      } else if (smoothMethod === 'floor') {
        precisions[n] = (100 * smoothValue) / total;
      }
    } else {
      precisions[n] = (100 * count) / total;
    }
  }
  const logSum = precisions.slice(0, effectiveOrder).reduce((sum, p) => sum + safeLog(p), 0);
  return { score: bp * Math.exp(logSum / effectiveOrder), ...result };
}

/**
 * `corpusBleu(hypotheses, referenceStreams)`: referenceStreams[k][i] is the k-th reference for
 * hypothesis i, as in `sacrebleu.corpus_bleu(hyps, [refs1, refs2])`.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  referenceStreams: readonly (readonly string[])[],
  options: BleuOptions = {},
): BleuResult {
  const tokenize = (options.tokenize ?? '13a') === '13a' ? tokenize13a : (text: string) => text;
  const counts = new Array<number>(MAX_ORDER).fill(0);
  const totals = new Array<number>(MAX_ORDER).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, index) => {
    const hypTokens = tokenize(hypothesis).split(' ').filter(Boolean);
    const maxRefCounts = new Map<string, number>();
    let closest = -1;
    let closestDiff = Infinity;
    for (const stream of referenceStreams) {
      const reference = stream[index];
      if (reference === undefined) continue;
      const refTokens = tokenize(reference).split(' ').filter(Boolean);
      const diff = Math.abs(hypTokens.length - refTokens.length);
      if (diff < closestDiff || (diff === closestDiff && refTokens.length < closest)) {
        closestDiff = diff;
        closest = refTokens.length;
      }
      for (const [gram, count] of ngrams(refTokens)) {
        maxRefCounts.set(gram, Math.max(maxRefCounts.get(gram) ?? 0, count));
      }
    }
    sysLen += hypTokens.length;
    refLen += Math.max(closest, 0);
    for (const [gram, count] of ngrams(hypTokens)) {
      const order = gram.split(' ').length - 1;
      counts[order] = (counts[order] ?? 0) + Math.min(count, maxRefCounts.get(gram) ?? 0);
      totals[order] = (totals[order] ?? 0) + count;
    }
  });
  return bleuFromStatistics(counts, totals, sysLen, refLen, options);
}
