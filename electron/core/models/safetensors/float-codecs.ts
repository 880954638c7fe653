import { fromFloat16Bits, toFloat16Bits } from '../gguf/float16';
import type { SafetensorsFloatType } from './safetensors-types';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bfloat16 is the top half of a float32, so widening is exact. */
export function fromBFloat16Bits(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0] ?? 0;
}

/** The bfloat16 nearest `value`, ties to even (what PyTorch's `.to(torch.bfloat16)` does). */
export function toBFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0] ?? 0;
  if (Number.isNaN(value)) return ((bits >>> 16) | 0x40) & 0xffff;
  const rounding = 0x7fff + ((bits >>> 16) & 1);
  return ((bits + rounding) >>> 16) & 0xffff;
}

/** Little-endian `bytes` of one type → float32 values (bytes.length must be a whole number of them). */
export function decodeFloats(bytes: Buffer, dtype: SafetensorsFloatType): Float32Array {
  if (dtype === 'F32') {
    const out = new Float32Array(bytes.length / 4);
    for (let index = 0; index < out.length; index++) out[index] = bytes.readFloatLE(index * 4);
    return out;
  }
  const out = new Float32Array(bytes.length / 2);
  const widen = dtype === 'F16' ? fromFloat16Bits : fromBFloat16Bits;
  for (let index = 0; index < out.length; index++)
    out[index] = widen(bytes.readUInt16LE(index * 2));
  return out;
}

/** float32 values → little-endian bytes of one type, rounding to nearest even. */
export function encodeFloats(values: Float32Array, dtype: SafetensorsFloatType): Buffer {
  if (dtype === 'F32') {
    const out = Buffer.alloc(values.length * 4);
    for (let index = 0; index < values.length; index++)
      out.writeFloatLE(values[index] ?? 0, index * 4);
    return out;
  }
  const out = Buffer.alloc(values.length * 2);
  const narrow = dtype === 'F16' ? toFloat16Bits : toBFloat16Bits;
  for (let index = 0; index < values.length; index++) {
    out.writeUInt16LE(narrow(values[index] ?? 0), index * 2);
  }
  return out;
}
