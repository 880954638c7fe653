import { fromFloat16Bits } from '../gguf/float16';

export type FloatTensorType = 'F32' | 'F16' | 'BF16';
export const FLOAT_TYPE_SIZES: Record<FloatTensorType, number> = { F32: 4, F16: 2, BF16: 2 };

let halfTable: Float32Array | undefined;

/** Every f16 bit pattern's value: decoding a tensor is then one lookup per value. */
function halfValues(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = fromFloat16Bits(bits);
  }
  return halfTable;
}

/**
 * Little-endian tensor bytes → float32 values. Fast enough for adapters of hundreds of MB
 * (the per-value codecs in safetensors/float-codecs.ts are ~20× slower).
 */
export function floatValues(bytes: Buffer, type: FloatTensorType): Float32Array {
  const count = bytes.length / FLOAT_TYPE_SIZES[type];
  // A copy at offset 0 of its own memory, so it can be read through aligned typed views.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  if (type === 'F32') return new Float32Array(aligned.buffer, 0, count);
  const halves = new Uint16Array(aligned.buffer, 0, count);
  const out = new Float32Array(count);
  if (type === 'F16') {
    const table = halfValues();
    for (let i = 0; i < count; i++) out[i] = table[halves[i] as number] as number;
  } else {
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) words[i] = (halves[i] as number) << 16;
  }
  return out;
}
