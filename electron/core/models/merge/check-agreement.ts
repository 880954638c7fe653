import type { Llama, Token } from 'node-llama-cpp';
import type { GpuChoice } from '../../llm/engine-types';
import { loadLlama } from '../../llm/load-llama';

/**
 * The fixed text both models read: a ChatML question and answer in plain English, so the mode's
 * adapter is exercised where it matters (after the assistant tag) and on ordinary prose. Models
 * without ChatML tokens read the tags as text, which still compares them position by position.
 */
export const AGREEMENT_TEXT = [
  '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n',
  '<|im_start|>user\nWhat is two plus two? Explain it to a child.<|im_end|>\n',
  '<|im_start|>assistant\n',
  'Two plus two is four. If you have two apples and someone gives you two more apples, ',
  'you can count them one by one: one, two, three, four. So you have four apples. ',
  'Adding means putting groups together and counting how many there are in all.',
].join('');

/** How many positions of the text are compared at most (the text is shorter on most vocabularies). */
export const AGREEMENT_MAX_POSITIONS = 256;

export interface AgreementResult {
  /** Share of positions where both models' most likely next token is the same, 0 to 1. */
  agreement: number;
  positions: number;
  /** Positions that differed (index into the text's tokens), at most 20. */
  differing: number[];
}

async function greedyNextTokens(
  llama: Llama,
  modelPath: string,
  adapterPath: string | undefined,
  text: string,
  threads: number | undefined,
  tokens?: Token[],
): Promise<{ tokens: Token[]; next: (Token | null)[] }> {
  const model = await llama.loadModel({ modelPath });
  try {
    const input = (tokens ?? model.tokenize(text, true)).slice(0, AGREEMENT_MAX_POSITIONS);
    const context = await model.createContext({
      contextSize: Math.max(64, input.length + 16),
      sequences: 1,
      ...(threads === undefined ? {} : { threads }),
      ...(adapterPath ? { lora: { adapters: [{ filePath: adapterPath }] } } : {}),
    });
    try {
      const sequence = context.getSequence();
      const results = await sequence.controlledEvaluate(
        input.map((token) => [
          token,
          { generateNext: { token: true, options: { temperature: 0 } } },
        ]),
      );
      return { tokens: input, next: results.map((result) => result?.next.token ?? null) };
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/**
 * Reads the same text with base + runtime LoRA and with the merged model (one after the other, so
 * only one model is in memory) and compares the greedy next token at every position: real llama.cpp
 * through node-llama-cpp, as the engine runs them.
 */
export async function measureAgreement(options: {
  basePath: string;
  adapterPath: string;
  mergedPath: string;
  /** An adapter the second model reads with (two stores of one adapter on the same base). */
  mergedAdapterPath?: string;
  text?: string;
  gpu?: GpuChoice;
  threads?: number;
}): Promise<AgreementResult> {
  const text = options.text ?? AGREEMENT_TEXT;
  const runtime = await loadLlama(options.gpu ?? 'auto');
  try {
    const withLora = await greedyNextTokens(
      runtime.llama,
      options.basePath,
      options.adapterPath,
      text,
      options.threads,
    );
    const merged = await greedyNextTokens(
      runtime.llama,
      options.mergedPath,
      options.mergedAdapterPath,
      text,
      options.threads,
      withLora.tokens,
    );
    const differing: number[] = [];
    let same = 0;
    for (let index = 0; index < withLora.next.length; index++) {
      if (withLora.next[index] === merged.next[index]) same++;
      else if (differing.length < 20) differing.push(index);
    }
    const positions = withLora.next.length;
    return { agreement: positions === 0 ? 0 : same / positions, positions, differing };
  } finally {
    await runtime.llama.dispose();
  }
}

/**
 * The least agreement a merge may show before it is refused.
 *
 * - Float bases (F32, F16, BF16): merging computes W + scale·B·A once instead of adding B·(A·x) at
 *   every step, which differs only by float rounding, so the greedy token changes only at near-ties.
 *   Measured: the fixtures agree 100%; stories260K (a 260K-parameter model with very flat logits,
 *   so many near-ties) with a random rank-8 LoRA agrees 98.8% (bench/results/merge-*.json). 0.97
 *   keeps that worst case in while refusing a merge that is actually wrong.
 * - Quantised bases: the merged tensors are quantised again, so the adapter's delta is rounded into
 *   the base's grid (runtime LoRA keeps it in F16/F32) and more near-ties flip. Measured:
 *   stories260K at Q8_0 with the same LoRA agrees 94.6%; the fixtures at Q8_0 100%. 0.90 lets such
 *   losses through, while a broken merge (a tensor written wrongly, a wrong scale, a garbled file)
 *   changes most positions and is refused. Coarser types (Q4_K_M) on real models still need
 *   measuring against this number.
 */
export function agreementThreshold(baseFileTypeLabel: string): number {
  return /^(F32|F16|BF16)$/i.test(baseFileTypeLabel) ? 0.97 : 0.9;
}
