import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EMBEDDING, VOCAB_SIZE, nextTokenTable } from '../../../../../models/fixtures/tiny-qwen';
import type { FixtureChain } from '../../../../../models/fixtures/tiny-qwen-vocab';
import { readGgufHeader } from '../../gguf/read-gguf-header';
import { fromFloat16Bits } from '../../gguf/float16';
import { writeSafetensors } from '../../safetensors';
import type { SafetensorsFloatType, SafetensorsInput } from '../../safetensors';

/** A PEFT-style config as save_pretrained writes it, with overrides. */
export function peftConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    base_model_name_or_path: 'ponder/tiny-qwen2',
    bias: 'none',
    fan_in_fan_out: false,
    lora_alpha: EMBEDDING,
    lora_bias: false,
    modules_to_save: null,
    peft_type: 'LORA',
    peft_version: '0.18.1',
    r: EMBEDDING,
    rank_pattern: {},
    alpha_pattern: {},
    target_modules: ['lm_head'],
    task_type: 'CAUSAL_LM',
    use_dora: false,
    use_rslora: false,
    ...overrides,
  };
}

/** Writes adapter_config.json and adapter_model.safetensors into `dir`. */
export async function writePeftFolder(
  dir: string,
  config: Record<string, unknown>,
  tensors: SafetensorsInput[],
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'adapter_config.json'), JSON.stringify(config, null, 2));
  await writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors);
  return dir;
}

/**
 * The fixture adapter's matrices in PEFT's layout: lm_head lora_A = identity [r, in] and lora_B
 * = (chain's table − base table) [out, r], divided by `scale` so that PEFT's scale × B·A is the
 * same delta whatever the config's scale is.
 */
export function fixtureLmHead(
  chain: FixtureChain,
  dtype: SafetensorsFloatType = 'F32',
  scale = 1,
): SafetensorsInput[] {
  const n = EMBEDDING;
  const identity = new Float32Array(n * n);
  for (let index = 0; index < n; index++) identity[index * n + index] = 1;
  const target = nextTokenTable(chain);
  const base = nextTokenTable('base');
  const delta = target.map((value, index) => (value - (base[index] ?? 0)) / scale);
  return [
    { name: 'base_model.model.lm_head.lora_A.weight', dtype, shape: [n, n], values: identity },
    {
      name: 'base_model.model.lm_head.lora_B.weight',
      dtype,
      shape: [VOCAB_SIZE, n],
      values: delta,
    },
  ];
}

/** Deterministic values in [-1, 1) so numeric tests do not depend on Math.random. */
export function pseudoRandom(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[index] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Reads one F32/F16 tensor of a GGUF file as float32, with its ggml shape. */
export async function readGgufTensor(
  path: string,
  name: string,
): Promise<{ shape: number[]; values: Float32Array }> {
  const header = await readGgufHeader(path);
  const info = header.tensors.find((tensor) => tensor.name === name);
  if (!info) throw new Error(`${path} has no tensor ${name}`);
  const bytes = Buffer.alloc(info.byteSize);
  const file = await open(path, 'r');
  try {
    await file.read(bytes, 0, info.byteSize, info.fileOffset);
  } finally {
    await file.close();
  }
  const count = info.shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) {
    values[index] =
      info.type === 'F32'
        ? bytes.readFloatLE(index * 4)
        : fromFloat16Bits(bytes.readUInt16LE(index * 2));
  }
  return { shape: info.shape, values };
}

/** rows×inner times inner×cols, row-major, times `scale`. */
export function matmul(
  left: Float32Array,
  right: Float32Array,
  rows: number,
  inner: number,
  cols: number,
  scale = 1,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < inner; k++) {
      const value = (left[row * inner + k] ?? 0) * scale;
      if (value === 0) continue;
      for (let col = 0; col < cols; col++) {
        const at = row * cols + col;
        out[at] = (out[at] ?? 0) + value * (right[k * cols + col] ?? 0);
      }
    }
  }
  return out;
}
