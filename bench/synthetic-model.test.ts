import { describe, expect, it } from 'vitest';
import { ggmlTensorBytes, ggmlTypeByName } from '../electron/core/models';
import { QK_K, quantChunks } from './quant-blocks';
import { SHAPES, syntheticLoraTensors, syntheticModelTensors } from './synthetic-model';
import type { QwenShape } from './synthetic-model';

const bytes = (tensors: ReturnType<typeof syntheticModelTensors>): number =>
  tensors.reduce((sum, t) => sum + ggmlTensorBytes(ggmlTypeByName(t.type)!, t.shape), 0);

describe('synthetic Qwen2.5 models', () => {
  it('have the size of Qwen2.5-7B-Instruct Q4_K_M (~4.36 GiB) and its adapter ~3.4 % of it', () => {
    const model = bytes(syntheticModelTensors(SHAPES['7b'] as QwenShape));
    expect(model / 2 ** 30).toBeGreaterThan(4.3);
    expect(model / 2 ** 30).toBeLessThan(4.4);
    const adapter = bytes(syntheticLoraTensors(SHAPES['7b'] as QwenShape, 32));
    expect(adapter / model).toBeCloseTo(0.034, 2);
  });

  it('fill Q4_K blocks with small finite f16 scales', () => {
    const [chunk] = [...quantChunks('Q4_K', QK_K * 4)()];
    const view = Buffer.from(chunk!.buffer, chunk!.byteOffset, chunk!.byteLength);
    for (let block = 0; block < 4; block++) {
      const d = view.readUInt16LE(block * 144);
      const exponent = (d >> 10) & 0x1f;
      expect(d >> 15).toBe(0); // positive
      expect(exponent).toBeGreaterThan(0); // not zero or subnormal
      expect(exponent).toBeLessThan(0x1f); // not inf or NaN
      expect(exponent - 15).toBeLessThan(-8); // below 2^-8
    }
  });
});
