import { kv, writeGguf } from '../electron/core/models';

/** A seeded normal random number generator (Box–Muller over a 32-bit LCG). */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** stories260K's projections (llama, 5 blocks, width 64, 4 heads of which 2 for keys and values). */
const OUTPUTS = { attn_q: 64, attn_k: 32, attn_v: 32, attn_output: 64 } as const;
export type StoriesTarget = keyof typeof OUTPUTS;

/**
 * A seeded random LoRA (F32, alpha = rank) for stories260K: a real model nobody here trained, whose
 * flat logits make its greedy choices sensitive to small changes in the weights.
 */
export async function writeStoriesLora(
  path: string,
  options: { rank: number; targets: StoriesTarget[]; seed?: number },
): Promise<void> {
  const { rank } = options;
  const random = gaussian(options.seed ?? 42);
  const values = (length: number, scale: number): Float32Array =>
    Float32Array.from({ length }, () => random() * scale);
  const tensors = [];
  for (let block = 0; block < 5; block++) {
    for (const name of options.targets) {
      const out = OUTPUTS[name];
      tensors.push(
        {
          name: `blk.${block}.${name}.weight.lora_a`,
          shape: [64, rank],
          type: 'F32',
          values: values(64 * rank, 0.1),
        },
        {
          name: `blk.${block}.${name}.weight.lora_b`,
          shape: [rank, out],
          type: 'F32',
          values: values(rank * out, 0.1),
        },
      );
    }
  }
  await writeGguf(path, {
    metadata: {
      'general.architecture': 'llama',
      'general.type': 'adapter',
      'adapter.type': 'lora',
      'adapter.lora.alpha': kv.float32(rank),
    },
    tensors,
  });
}
