import { describe, expect, it } from 'vitest';
import { fromFloat16Bits } from '../gguf/float16';
import { decodeFloats, encodeFloats, fromBFloat16Bits } from './float-codecs';

/** A buffer that starts one byte into its memory: typed views cannot read it in place. */
function unaligned(bytes: Buffer): Buffer {
  const backing = Buffer.alloc(bytes.length + 1);
  bytes.copy(backing, 1);
  return backing.subarray(1);
}

describe('decodeFloats', () => {
  it('reads every f16 and bf16 bit pattern as the per-value codecs do, from any offset', () => {
    const patterns = Buffer.alloc(65536 * 2);
    for (let bits = 0; bits < 65536; bits++) patterns.writeUInt16LE(bits, bits * 2);
    const half = decodeFloats(unaligned(patterns), 'F16');
    const brain = decodeFloats(unaligned(patterns), 'BF16');
    for (let bits = 0; bits < 65536; bits++) {
      expect(Object.is(half[bits], Math.fround(fromFloat16Bits(bits)))).toBe(true);
      expect(Object.is(brain[bits], fromBFloat16Bits(bits))).toBe(true);
    }
  });

  it('reads F32 values back as they were written, and leaves the input untouched', () => {
    const values = Float32Array.from([0, -0, 1.5, -3.25e-8, 65504, Infinity, -Infinity]);
    const bytes = unaligned(encodeFloats(values, 'F32'));
    const before = Buffer.from(bytes);
    expect([...decodeFloats(bytes, 'F32')]).toEqual([...values]);
    expect(bytes.equals(before)).toBe(true);
  });
});
