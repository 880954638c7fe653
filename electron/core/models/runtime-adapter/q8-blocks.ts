import { fromFloat16Bits, toFloat16Bits } from '../gguf/float16';

/** Values per Q8_0 block, and its bytes: ggml's `block_q8_0 { ggml_half d; int8_t qs[32]; }`. */
export const Q8_BLOCK_VALUES = 32;
export const Q8_BLOCK_BYTES = 2 + Q8_BLOCK_VALUES;

/** C's roundf: halves away from zero (Math.round sends -2.5 to -2). */
const roundHalfAway = (value: number) =>
  value >= 0 ? Math.floor(value + 0.5) : -Math.floor(0.5 - value);

/**
 * float32 values → Q8_0 blocks, as llama.cpp quantises them (`quantize_row_q8_0_ref`): per block
 * of 32, d = max|x| / 127 stored as f16, and q = round(x / d) with the unrounded d. `values.length`
 * must be a whole number of blocks.
 */
export function quantizeQ8_0(values: Float32Array): Buffer {
  if (values.length % Q8_BLOCK_VALUES !== 0) {
    throw new RangeError(`${values.length} values are not whole Q8_0 blocks`);
  }
  const blocks = values.length / Q8_BLOCK_VALUES;
  const out = Buffer.alloc(blocks * Q8_BLOCK_BYTES);
  const quants = new Int8Array(out.buffer, out.byteOffset, out.length);
  for (let block = 0; block < blocks; block++) {
    const start = block * Q8_BLOCK_VALUES;
    let largest = 0;
    for (let i = 0; i < Q8_BLOCK_VALUES; i++) {
      const magnitude = Math.abs(values[start + i] as number);
      if (magnitude > largest) largest = magnitude;
    }
    const scale = largest / 127;
    const inverse = scale ? 1 / scale : 0;
    const at = block * Q8_BLOCK_BYTES;
    out.writeUInt16LE(toFloat16Bits(scale), at);
    for (let i = 0; i < Q8_BLOCK_VALUES; i++)
      quants[at + 2 + i] = roundHalfAway((values[start + i] as number) * inverse);
  }
  return out;
}

/** Q8_0 blocks → float32 values (d × q), for checking what a quantised tensor holds. */
export function dequantizeQ8_0(bytes: Buffer): Float32Array {
  const blocks = Math.floor(bytes.length / Q8_BLOCK_BYTES);
  const out = new Float32Array(blocks * Q8_BLOCK_VALUES);
  for (let block = 0; block < blocks; block++) {
    const at = block * Q8_BLOCK_BYTES;
    const scale = fromFloat16Bits(bytes.readUInt16LE(at));
    for (let i = 0; i < Q8_BLOCK_VALUES; i++)
      out[block * Q8_BLOCK_VALUES + i] = scale * bytes.readInt8(at + 2 + i);
  }
  return out;
}
