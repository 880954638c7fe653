import { describe, expect, it } from 'vitest';
import { fromFloat16Bits } from '../gguf/float16';
import { dequantizeQ8_0, quantizeQ8_0, Q8_BLOCK_BYTES } from './q8-blocks';

describe('Q8_0 blocks', () => {
  it('stores max|x| / 127 as the scale and rounds halves away from zero, as llama.cpp does', () => {
    const values = new Float32Array(32);
    values[0] = 1.27;
    values[1] = -0.025; // -2.5 steps of 0.01: C's roundf gives -3, Math.round would give -2
    values[2] = 0.025;
    values[3] = -1.27;
    const block = quantizeQ8_0(values);
    expect(block.length).toBe(Q8_BLOCK_BYTES);
    expect(fromFloat16Bits(block.readUInt16LE(0))).toBeCloseTo(0.01, 4);
    expect([block.readInt8(2), block.readInt8(3), block.readInt8(4), block.readInt8(5)]).toEqual([
      127, -3, 3, -127,
    ]);
  });

  it('keeps every value within half a step of its block, and zeros exactly', () => {
    const values = Float32Array.from({ length: 32 * 64 }, (_, i) =>
      i < 32 ? 0 : Math.sin(i * 12.9898) * (1 + (i % 7)),
    );
    const back = dequantizeQ8_0(quantizeQ8_0(values));
    expect(back.length).toBe(values.length);
    for (let block = 0; block < 64; block++) {
      const slice = values.subarray(block * 32, block * 32 + 32);
      const step = Math.max(...slice.map(Math.abs)) / 127;
      for (let i = 0; i < 32; i++) {
        const index = block * 32 + i;
        // Half a step, plus the f16 rounding of the scale (relative 2^-11) times 127 steps.
        expect(Math.abs((back[index] ?? 0) - (values[index] ?? 0))).toBeLessThanOrEqual(
          step * (0.5 + 127 * 2 ** -11) + 1e-12,
        );
      }
    }
    expect([...back.subarray(0, 32)].every((value) => value === 0)).toBe(true);
  });

  it('refuses a length that is not whole blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(33))).toThrow(/not whole Q8_0 blocks/);
  });
});
