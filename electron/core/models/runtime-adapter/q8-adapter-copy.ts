import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PonderError } from '../../errors';
import { writeGguf } from '../gguf/gguf-writer';
import type { GgufTensorInput } from '../gguf/gguf-writer';
import type { GgufTensorInfo } from '../gguf/gguf-types';
import { readGgufHeader } from '../gguf/read-gguf-header';
import { contentHash } from '../merge/merge-plan';
import { readFileRange } from '../read-file-range';
import { decodeFloats } from '../safetensors/float-codecs';
import {
  SAFETENSORS_FLOAT_TYPES,
  type SafetensorsFloatType,
} from '../safetensors/safetensors-types';
import { dequantizeQ8_0, quantizeQ8_0, Q8_BLOCK_VALUES } from './q8-blocks';

export const Q8_ADAPTER_FILE = 'adapter-q8_0.gguf';

/**
 * The largest relative error (‖q − x‖ / ‖x‖, which is also how much a product with the tensor
 * changes for a typical input) a tensor's Q8_0 values may have. Q8_0 rounds each value to 1/127
 * of its block's largest: 0.5–0.6% on random adapters, under 0.01% on the fixture's
 * (bench/results/adapter-q8_0-*.json). Values Q8_0 cannot hold (beyond f16's range once divided by
 * 127, or not finite) fail this check, and such an adapter runs as given.
 */
export const Q8_MAX_RELATIVE_ERROR = 0.02;

export interface Q8AdapterCopy {
  /** The Q8_0 copy, or the adapter itself when it has nothing to quantise. */
  path: string;
  /** Tensors stored as Q8_0 in the copy (0: the adapter is used as it is). */
  quantized: number;
  /** True when this call wrote the copy (false: found in the cache). */
  created: boolean;
  /** The largest relative error of a quantised tensor, when this call wrote the copy. */
  worstRelativeError?: number;
}

/** Sums of squares over one tensor: its values, and what Q8_0 changed in them. */
interface ErrorSums {
  values: number;
  errors: number;
}

function isFloat(type: string): type is SafetensorsFloatType {
  return type in SAFETENSORS_FLOAT_TYPES;
}

/** Float tensors whose rows are whole Q8_0 blocks; llama.cpp multiplies those with its own kernels. */
function quantizable(tensor: GgufTensorInfo): boolean {
  return isFloat(tensor.type) && (tensor.shape[0] ?? 0) % Q8_BLOCK_VALUES === 0;
}

/** A tensor's bytes, 4 MiB at a time (a whole number of Q8_0 blocks of every float type). */
function tensorBytes(path: string, tensor: GgufTensorInfo): AsyncGenerator<Buffer> {
  return readFileRange(path, tensor.fileOffset, tensor.byteSize, {
    unitBytes: Q8_BLOCK_VALUES * 4,
    shortRead: () =>
      new PonderError(
        'invalid-input',
        `${path} ended inside tensor "${tensor.name}"; it changed while being read.`,
        { hint: 'Copy the adapter again and restart Ponder.' },
      ),
  });
}

async function* quantizedBytes(
  path: string,
  tensor: GgufTensorInfo & { type: SafetensorsFloatType },
  sums: ErrorSums,
) {
  for await (const chunk of tensorBytes(path, tensor)) {
    const values = decodeFloats(chunk, tensor.type);
    const quantized = quantizeQ8_0(values);
    const back = dequantizeQ8_0(quantized);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as number;
      const error = (back[i] as number) - value;
      sums.values += value * value;
      sums.errors += error * error;
    }
    yield quantized;
  }
}

const relativeError = (sums: ErrorSums) =>
  sums.values > 0 ? Math.sqrt(sums.errors / sums.values) : 0;

/**
 * The adapter with its float LoRA matrices stored as Q8_0, written once into
 * `<cacheRoot>/<adapter's SHA-256>/` and found there afterwards. On a GPU, llama.cpp multiplies
 * f16 adapter matrices through cuBLAS, whose first use keeps ~150 MB of host memory resident in the
 * model process; Q8_0 ones go through ggml-cuda's own quantised kernels, and are half the bytes to
 * read per token (bench/README.md, "Runtime adapters as Q8_0"). Tensors of other types or shapes
 * are copied unchanged; an adapter with nothing to quantise is returned as it is.
 */
export async function q8AdapterCopy(
  adapterPath: string,
  cacheRoot: string,
  signal?: AbortSignal,
): Promise<Q8AdapterCopy> {
  const header = await readGgufHeader(adapterPath);
  const quantized = header.tensors.filter(quantizable).length;
  if (quantized === 0) return { path: adapterPath, quantized: 0, created: false };
  const dir = join(cacheRoot, await contentHash(adapterPath, cacheRoot));
  const path = join(dir, Q8_ADAPTER_FILE);
  if (existsSync(path)) return { path, quantized, created: false };
  await mkdir(dir, { recursive: true });
  // What a copy cut short left here (the app quit while writing it) is only in the way.
  for (const name of await readdir(dir)) await rm(join(dir, name), { force: true });
  const sums = new Map<string, ErrorSums>();
  const tensors = header.tensors.map((tensor): GgufTensorInput => {
    const { name, shape } = tensor;
    if (!quantizable(tensor))
      return { name, shape, type: tensor.type, bytes: () => tensorBytes(adapterPath, tensor) };
    const tensorSums = { values: 0, errors: 0 };
    sums.set(name, tensorSums);
    const floats = tensor as GgufTensorInfo & { type: SafetensorsFloatType };
    return {
      name,
      shape,
      type: 'Q8_0',
      bytes: () => quantizedBytes(adapterPath, floats, tensorSums),
    };
  });
  // Written under another name and renamed once checked, so a copy cut short or refused is never found.
  const unchecked = `${path}.unchecked`;
  await writeGguf(unchecked, {
    metadata: header.metadata,
    tensors,
    alignment: header.alignment,
    ...(signal ? { signal } : {}),
  });
  let worst = { name: '', error: 0 };
  for (const [name, tensorSums] of sums) {
    const error = relativeError(tensorSums);
    // NaN (from a value Q8_0 cannot hold) is the worst there is, and stays so.
    if (!Number.isNaN(worst.error) && !(error <= worst.error)) worst = { name, error };
  }
  if (!(worst.error <= Q8_MAX_RELATIVE_ERROR)) {
    await rm(unchecked, { force: true });
    throw new PonderError(
      'invalid-input',
      `${worst.name} would change by ${Number.isFinite(worst.error) ? `${(worst.error * 100).toFixed(1)}%` : 'an unbounded amount'} as Q8_0 (at most ${Q8_MAX_RELATIVE_ERROR * 100}%)`,
      { hint: 'The adapter runs as given.' },
    );
  }
  await rename(unchecked, path);
  return { path, quantized, created: true, worstRelativeError: worst.error };
}
