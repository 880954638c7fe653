import { existsSync, statSync } from 'node:fs';
import { kv, writeGguf } from '../electron/core/models';
import type { GgufMetadataInput, GgufTensorInput } from '../electron/core/models';
import { byteToUnicode } from '../models/fixtures/byte-to-unicode';
import { QWEN_CHAT_TEMPLATE } from '../models/fixtures/qwen-chat-template';
import { halfChunks, q8Chunks, quantChunks } from './quant-blocks';
import type { QuantType } from './quant-blocks';

/** Tensor shapes of a Qwen2.5 model (from its config.json). */
export interface QwenShape {
  name: string;
  blocks: number;
  embedding: number;
  feedForward: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  /** Output projection shares token_embd (Qwen2.5 ≤ 3B); Q4_K_M then stores token_embd as Q6_K. */
  tiedEmbeddings: boolean;
}

export const SHAPES = {
  '7b': {
    name: 'Qwen2.5-7B-Instruct',
    blocks: 28,
    embedding: 3584,
    feedForward: 18944,
    heads: 28,
    kvHeads: 4,
    vocab: 152064,
    tiedEmbeddings: false,
  },
  '1.5b': {
    name: 'Qwen2.5-1.5B-Instruct',
    blocks: 28,
    embedding: 1536,
    feedForward: 8960,
    heads: 12,
    kvHeads: 2,
    vocab: 151936,
    tiedEmbeddings: true,
  },
} as const satisfies Record<string, QwenShape>;
export type ShapeName = keyof typeof SHAPES;

const CONTROLS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
const NORMAL = 1;
const CONTROL = 3;

/** 256 byte tokens, padding tokens up to the vocabulary size, Qwen's control tokens at its ids. */
function vocabulary(size: number): { tokens: string[]; types: number[] } {
  const tokens = [...byteToUnicode()];
  const types = tokens.map(() => NORMAL);
  const controlsAt = 151643; // Qwen2.5: <|endoftext|> 151643, <|im_start|> 151644, <|im_end|> 151645
  while (tokens.length < size) {
    const control = tokens.length - controlsAt;
    if (control >= 0 && control < CONTROLS.length) {
      tokens.push(CONTROLS[control] ?? '');
      types.push(CONTROL);
    } else {
      tokens.push(`[PAD${tokens.length}]`);
      types.push(NORMAL);
    }
  }
  return { tokens, types };
}

const q = (name: string, shape: [number, number], type: QuantType): GgufTensorInput => ({
  name,
  shape,
  type,
  bytes: quantChunks(type, shape[0] * shape[1]),
});
const ones = (name: string, length: number, value = 1): GgufTensorInput => ({
  name,
  shape: [length],
  type: 'F32',
  values: new Float32Array(length).fill(value),
});

/**
 * Q4_K_M's type choice: Q4_K everywhere, Q6_K for the output projection, attn_v and half of
 * ffn_down (llama.cpp's use_more_bits picks about half the layers; here the even ones).
 */
export function syntheticModelTensors(shape: QwenShape): GgufTensorInput[] {
  const n = shape.embedding;
  const kvWidth = (n / shape.heads) * shape.kvHeads;
  const tensors: GgufTensorInput[] = [
    q('token_embd.weight', [n, shape.vocab], shape.tiedEmbeddings ? 'Q6_K' : 'Q4_K'),
    ones('output_norm.weight', n),
  ];
  if (!shape.tiedEmbeddings) tensors.push(q('output.weight', [n, shape.vocab], 'Q6_K'));
  for (let block = 0; block < shape.blocks; block++) {
    const b = `blk.${block}`;
    tensors.push(
      ones(`${b}.attn_norm.weight`, n),
      q(`${b}.attn_q.weight`, [n, n], 'Q4_K'),
      ones(`${b}.attn_q.bias`, n, 0.01),
      q(`${b}.attn_k.weight`, [n, kvWidth], 'Q4_K'),
      ones(`${b}.attn_k.bias`, kvWidth, 0.01),
      q(`${b}.attn_v.weight`, [n, kvWidth], 'Q6_K'),
      ones(`${b}.attn_v.bias`, kvWidth, 0.01),
      q(`${b}.attn_output.weight`, [n, n], 'Q4_K'),
      ones(`${b}.ffn_norm.weight`, n),
      q(`${b}.ffn_gate.weight`, [n, shape.feedForward], 'Q4_K'),
      q(`${b}.ffn_up.weight`, [n, shape.feedForward], 'Q4_K'),
      q(`${b}.ffn_down.weight`, [shape.feedForward, n], block % 2 === 0 ? 'Q6_K' : 'Q4_K'),
    );
  }
  return tensors;
}

export function syntheticModelMetadata(shape: QwenShape): GgufMetadataInput {
  const { tokens, types } = vocabulary(shape.vocab);
  return {
    'general.architecture': 'qwen2',
    'general.type': 'model',
    'general.name': `${shape.name} shape, random Q4_K_M weights (Ponder bench)`,
    'general.file_type': kv.uint32(15), // LLAMA_FTYPE_MOSTLY_Q4_K_M
    'qwen2.block_count': kv.uint32(shape.blocks),
    'qwen2.context_length': kv.uint32(32768),
    'qwen2.embedding_length': kv.uint32(shape.embedding),
    'qwen2.feed_forward_length': kv.uint32(shape.feedForward),
    'qwen2.attention.head_count': kv.uint32(shape.heads),
    'qwen2.attention.head_count_kv': kv.uint32(shape.kvHeads),
    'qwen2.rope.freq_base': kv.float32(1_000_000),
    'qwen2.attention.layer_norm_rms_epsilon': kv.float32(1e-6),
    'tokenizer.ggml.model': 'gpt2',
    'tokenizer.ggml.pre': 'qwen2',
    'tokenizer.ggml.tokens': tokens,
    'tokenizer.ggml.token_type': kv.array('int32', types),
    'tokenizer.ggml.merges': [],
    'tokenizer.ggml.eos_token_id': kv.uint32(151645),
    'tokenizer.ggml.padding_token_id': kv.uint32(151643),
    'tokenizer.ggml.bos_token_id': kv.uint32(151643),
    'tokenizer.ggml.add_bos_token': false,
    'tokenizer.chat_template': QWEN_CHAT_TEMPLATE,
  };
}

export type LoraTensorType = 'F16' | 'Q8_0';

/**
 * A rank-`rank` LoRA on q, k, v, o, gate, up and down of every block, alpha = rank, in f16 (what
 * PEFT conversions write by default) or Q8_0.
 */
export function syntheticLoraTensors(
  shape: QwenShape,
  rank: number,
  only?: string[],
  type: LoraTensorType = 'F16',
): GgufTensorInput[] {
  const values = (elements: number) =>
    type === 'Q8_0' ? q8Chunks(elements, 0.02) : halfChunks(elements, 0.02);
  const n = shape.embedding;
  const kvWidth = (n / shape.heads) * shape.kvHeads;
  const targets: [string, number, number][] = [
    ['attn_q', n, n],
    ['attn_k', n, kvWidth],
    ['attn_v', n, kvWidth],
    ['attn_output', n, n],
    ['ffn_gate', n, shape.feedForward],
    ['ffn_up', n, shape.feedForward],
    ['ffn_down', shape.feedForward, n],
  ];
  const tensors: GgufTensorInput[] = [];
  for (let block = 0; block < shape.blocks; block++) {
    for (const [name, input, output] of targets.filter(
      ([target]) => !only || only.includes(target),
    )) {
      // ggml shapes (llama-adapter.cpp): lora_a [n_in, rank], lora_b [rank, n_out].
      tensors.push(
        {
          name: `blk.${block}.${name}.weight.lora_a`,
          shape: [input, rank],
          type,
          bytes: values(input * rank),
        },
        {
          name: `blk.${block}.${name}.weight.lora_b`,
          shape: [rank, output],
          type,
          bytes: values(rank * output),
        },
      );
    }
  }
  return tensors;
}

/** Writes the model unless a file of the right size is already there; returns its size. */
export async function ensureSyntheticModel(path: string, shape: QwenShape): Promise<number> {
  const tensors = syntheticModelTensors(shape);
  const metadata = syntheticModelMetadata(shape);
  if (existsSync(path) && statSync(path).size > 0) return statSync(path).size;
  return writeGguf(path, { metadata, tensors });
}

export async function ensureSyntheticLora(
  path: string,
  shape: QwenShape,
  rank = 32,
  only?: string[],
  type: LoraTensorType = 'F16',
): Promise<number> {
  if (existsSync(path) && statSync(path).size > 0) return statSync(path).size;
  return writeGguf(path, {
    metadata: {
      'general.architecture': 'qwen2',
      'general.type': 'adapter',
      'general.name': `rank-${rank} LoRA in ${shape.name} shape (Ponder bench)`,
      'adapter.type': 'lora',
      'adapter.lora.alpha': kv.float32(rank),
    },
    tensors: syntheticLoraTensors(shape, rank, only, type),
  });
}
