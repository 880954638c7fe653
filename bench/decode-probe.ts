import type { LlamaContextOptions, LlamaModel, Token } from 'node-llama-cpp';
import { round, summarize } from './stats';

/**
 * Where decode and prompt time goes between raw llama.cpp and an engine loop: the same context
 * driven through node-llama-cpp four ways, each adding one layer on top of the previous.
 *   decode_only   evaluateWithoutGeneratingNewTokens([t]) per token: one decode round trip, no sampling
 *   greedy        evaluate(), temperature 0: + logits fetch and an argmax sampler round trip
 *   sampled       evaluate(), temperature 0.6, top-k 40, top-p 0.95 (Ponder's settings)
 * Prompt: evaluateWithoutGeneratingNewTokens(n tokens) in one call, per batch size.
 */
export interface ProbeResult {
  settings: Record<string, unknown>;
  decodeTps: Record<string, number>;
  promptTps: Record<string, number>;
  /** Mean milliseconds per token added by each layer over the one below it. */
  msPerTokenAdded: Record<string, number>;
}

function randomTokens(count: number, seed: number): Token[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return (256 + (state % 150_000)) as Token;
  });
}

export async function probeDecode(
  model: LlamaModel,
  options: {
    nGen: number;
    nPrompt: number;
    reps: number;
    threads: number;
    contextOptions?: Partial<LlamaContextOptions>;
  },
): Promise<ProbeResult> {
  const context = await model.createContext({
    contextSize: 4096,
    sequences: 1,
    threads: options.threads,
    ...options.contextOptions,
  } as LlamaContextOptions);
  const sequence = context.getSequence();
  const runs: Record<string, number[]> = { decode_only: [], greedy: [], sampled: [] };
  const start = randomTokens(1, 7);
  try {
    for (let rep = 0; rep < options.reps + 1; rep++) {
      // decode only
      await sequence.clearHistory();
      const tokens = randomTokens(options.nGen, rep + 11);
      let t0 = performance.now();
      for (const token of tokens) await sequence.evaluateWithoutGeneratingNewTokens([token]);
      const decodeOnly = (options.nGen * 1000) / (performance.now() - t0);
      // evaluate, greedy and sampled (first token excluded, like llama-bench's tg excludes no prompt)
      const timed = async (sampling: Record<string, number>): Promise<number> => {
        await sequence.clearHistory();
        let count = 0;
        let first = 0;
        const it = sequence.evaluate(start, { ...sampling, yieldEogToken: true });
        for await (const token of it) {
          void token;
          count += 1;
          if (count === 1) first = performance.now();
          if (count > options.nGen) break;
        }
        await it.return();
        return (options.nGen * 1000) / (performance.now() - first);
      };
      const greedy = await timed({ temperature: 0 });
      const sampled = await timed({ temperature: 0.6, topK: 40, topP: 0.95, seed: rep + 1 });
      if (rep === 0) continue; // warm-up
      runs.decode_only?.push(decodeOnly);
      runs.greedy?.push(greedy);
      runs.sampled?.push(sampled);
      t0 = performance.now();
    }
    const decodeTps = Object.fromEntries(
      Object.entries(runs).map(([key, values]) => [key, summarize(values).median]),
    );
    const promptTps: Record<string, number> = {};
    const prompt = randomTokens(options.nPrompt, 99);
    const times: number[] = [];
    for (let rep = 0; rep < options.reps + 1; rep++) {
      await sequence.clearHistory();
      const t0 = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      if (rep > 0) times.push(performance.now() - t0);
    }
    promptTps[`batch_${context.batchSize}`] = round(
      (options.nPrompt * 1000) / summarize(times).median,
    );
    const ms = (tps: number | undefined): number => (tps ? 1000 / tps : NaN);
    return {
      settings: {
        batchSize: context.batchSize,
        flashAttention: context.flashAttention,
        threads: options.threads,
        nGen: options.nGen,
        nPrompt: options.nPrompt,
      },
      decodeTps,
      promptTps,
      msPerTokenAdded: {
        sampling_round_trip_greedy: round(ms(decodeTps.greedy) - ms(decodeTps.decode_only), 3),
        top_k_top_p_over_greedy: round(ms(decodeTps.sampled) - ms(decodeTps.greedy), 3),
      },
    };
  } finally {
    await context.dispose();
  }
}
