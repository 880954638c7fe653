import { randomFillSync } from 'node:crypto';
import { toFloat16Bits } from '../electron/core/models';

/**
 * Random quantised blocks for synthetic models: speed does not depend on weight values, but the
 * kernels must see finite numbers, so every f16 scale is a small positive value and every other
 * byte is random. Layouts from ggml-common.h (QK_K = 256):
 *   block_q4_K { ggml_half d; ggml_half dmin; uint8_t scales[12]; uint8_t qs[128]; }      144 bytes
 *   block_q6_K { uint8_t ql[128]; uint8_t qh[64]; int8_t scales[16]; ggml_half d; }       210 bytes
 */
export const QK_K = 256;
export const BLOCK_BYTES = { Q4_K: 144, Q6_K: 210 } as const;
export type QuantType = keyof typeof BLOCK_BYTES;

/** Byte offsets of each block's f16 scales. */
const SCALE_OFFSETS: Record<QuantType, number[]> = { Q4_K: [0, 2], Q6_K: [208] };

/** Blocks in one pool; a tensor streams the pool repeatedly (about 2.3–3.4 MB, rotated per tensor). */
const POOL_BLOCKS = 16_384;

function smallHalf(): number {
  // 2^-12 .. 2^-9: with 6-bit sub-scales and 4/6-bit quants, weights stay well inside ±1.
  return toFloat16Bits((1 + Math.random()) * 2 ** -(9 + Math.floor(Math.random() * 3)));
}

function makePool(type: QuantType): Buffer {
  const size = BLOCK_BYTES[type];
  const pool = randomFillSync(Buffer.alloc(POOL_BLOCKS * size));
  for (let block = 0; block < POOL_BLOCKS; block++) {
    for (const offset of SCALE_OFFSETS[type])
      pool.writeUInt16LE(smallHalf(), block * size + offset);
  }
  return pool;
}

const pools = new Map<QuantType, Buffer>();

/** Chunks of `elements / 256` random blocks, starting at a different pool offset per call. */
export function quantChunks(type: QuantType, elements: number): () => Iterable<Uint8Array> {
  if (elements % QK_K !== 0) throw new Error(`${elements} elements are not whole ${type} blocks`);
  return function* () {
    let pool = pools.get(type);
    if (!pool) {
      pool = makePool(type);
      pools.set(type, pool);
    }
    const size = BLOCK_BYTES[type];
    let left = elements / QK_K;
    let start = Math.floor(Math.random() * POOL_BLOCKS);
    while (left > 0) {
      const count = Math.min(left, POOL_BLOCKS - start);
      yield pool.subarray(start * size, (start + count) * size);
      left -= count;
      start = 0;
    }
  };
}

/** Chunks of f16 values drawn uniformly from ±scale (LoRA matrices). */
const halfPools = new Map<number, Buffer>();

export function halfChunks(elements: number, scale: number): () => Iterable<Uint8Array> {
  const poolValues = 1 << 20;
  return function* () {
    let pool = halfPools.get(scale);
    if (!pool) {
      pool = Buffer.alloc(poolValues * 2);
      for (let index = 0; index < poolValues; index++)
        pool.writeUInt16LE(toFloat16Bits((Math.random() * 2 - 1) * scale), index * 2);
      halfPools.set(scale, pool);
    }
    let left = elements;
    while (left > 0) {
      const count = Math.min(left, poolValues);
      yield pool.subarray(0, count * 2);
      left -= count;
    }
  };
}

/**
 * Q8_0 blocks of values drawn uniformly from ±scale: block_q8_0 { ggml_half d; int8_t qs[32]; },
 * 34 bytes, value = d × q. One pool, streamed repeatedly like the others.
 */
export function q8Chunks(elements: number, scale: number): () => Iterable<Uint8Array> {
  if (elements % 32 !== 0) throw new Error(`${elements} elements are not whole Q8_0 blocks`);
  return function* () {
    const blocks = 1 << 15;
    const pool = Buffer.alloc(blocks * 34);
    for (let block = 0; block < blocks; block++) {
      pool.writeUInt16LE(toFloat16Bits(scale / 127), block * 34);
      for (let i = 0; i < 32; i++)
        pool.writeInt8(Math.round((Math.random() * 2 - 1) * 127), block * 34 + 2 + i);
    }
    let left = elements / 32;
    while (left > 0) {
      const count = Math.min(left, blocks);
      yield pool.subarray(0, count * 34);
      left -= count;
    }
  };
}
