import { endianness } from 'node:os';
import { fromFloat16Bits, toFloat16Bits } from '../gguf/float16';
import { SAFETENSORS_FLOAT_TYPES, type SafetensorsFloatType } from './safetensors-types';

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

let halfTable: Float32Array | undefined;

/** Every f16 bit pattern's value: decoding a tensor is then one lookup per value. */
function halfValues(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = fromFloat16Bits(bits);
  }
  return halfTable;
}

/** Typed arrays read in the machine's byte order; the files are little-endian. */
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Little-endian `bytes` of one type → float32 values (bytes.length must be a whole number of them).
 * Read through typed arrays over an aligned copy, not value by value: adapters run to hundreds of
 * MB, and per-value reads were ~20× slower.
 */
export function decodeFloats(bytes: Buffer, dtype: SafetensorsFloatType): Float32Array {
  if (!LITTLE_ENDIAN) return decodeFloatsValueByValue(bytes, dtype);
  const count = bytes.length / SAFETENSORS_FLOAT_TYPES[dtype];
  // A copy at offset 0 of its own memory, so it can be read through aligned typed views.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  if (dtype === 'F32') return new Float32Array(aligned.buffer, 0, count);
  const halves = new Uint16Array(aligned.buffer, 0, count);
  const out = new Float32Array(count);
  if (dtype === 'F16') {
    const table = halfValues();
    for (let i = 0; i < count; i++) out[i] = table[halves[i] as number] as number;
  } else {
    // bfloat16 is the top half of a float32.
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) words[i] = (halves[i] as number) << 16;
  }
  return out;
}

function decodeFloatsValueByValue(bytes: Buffer, dtype: SafetensorsFloatType): Float32Array {
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
