import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { assertAdapterFits, kv, readGgufSummary, writeGguf } from '..';
import type { GgufSummary, GgufTensorInput } from '..';

let scratch: string;
let base: GgufSummary;

beforeAll(async () => {
  await ensureFixtures();
  scratch = await mkdtemp(join(tmpdir(), 'ponder-adapter-'));
  base = await readGgufSummary(fixturePaths.base);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function check(adapter: GgufSummary): unknown {
  try {
    assertAdapterFits(base, adapter);
    return undefined;
  } catch (error) {
    return error;
  }
}

async function adapterWith(
  name: string,
  tensors: GgufTensorInput[],
  alpha = kv.float32(4),
): Promise<GgufSummary> {
  const path = join(scratch, `${name}.gguf`);
  await writeGguf(path, {
    metadata: {
      'general.architecture': 'qwen2',
      'general.type': 'adapter',
      'adapter.type': 'lora',
      'adapter.lora.alpha': alpha,
    },
    tensors,
  });
  return readGgufSummary(path);
}

const zeros = (name: string, shape: number[]): GgufTensorInput => ({
  name,
  shape,
  type: 'F32',
  values: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

describe('assertAdapterFits', () => {
  it('accepts the SFT and GRPO adapters made for the base', async () => {
    for (const path of [fixturePaths.sft, fixturePaths.grpo]) {
      const adapter = await readGgufSummary(path);
      expect(() => assertAdapterFits(base, adapter)).not.toThrow();
    }
  });

  it('names the adapter and the tensor when the adapter was made for a wider base', async () => {
    const error = check(await readGgufSummary(fixturePaths.adapterOtherBase));
    expect(error).toMatchObject({
      code: 'adapter-mismatch',
      message: `Adapter ${fixturePaths.adapterOtherBase} does not fit ${fixturePaths.base}: tensor "output.weight" is [320, 272] in the base, the adapter expects [256, 272]`,
    });
  });

  it('refuses an adapter for another architecture', async () => {
    const error = check(await readGgufSummary(fixturePaths.adapterOtherArch));
    expect(error).toMatchObject({
      code: 'adapter-mismatch',
      message: expect.stringMatching(/it was made for a llama model and the base is qwen2$/),
    });
  });

  it('refuses a model passed as an adapter, and an adapter passed as the base', async () => {
    expect(check(base)).toMatchObject({
      code: 'adapter-mismatch',
      message: expect.stringMatching(/it is not a LoRA adapter \(general.type is "model"\)$/),
    });
    const sft = await readGgufSummary(fixturePaths.sft);
    expect(() => assertAdapterFits(sft, sft)).toThrow(/is a LoRA adapter, not a base model/);
  });

  it('refuses a pair whose base tensor is missing, a half pair and mismatched ranks', async () => {
    const missing = await adapterWith('missing', [
      zeros('blk.7.attn_q.weight.lora_a', [320, 4]),
      zeros('blk.7.attn_q.weight.lora_b', [4, 320]),
    ]);
    expect(check(missing)).toMatchObject({
      code: 'adapter-mismatch',
      message: expect.stringMatching(
        /it adapts tensor "blk.7.attn_q.weight", which the base model does not have$/,
      ),
    });
    const half = await adapterWith('half', [zeros('blk.0.attn_q.weight.lora_a', [320, 4])]);
    expect(check(half)).toMatchObject({
      message: expect.stringMatching(/has only one of lora_a and lora_b$/),
    });
    const ranks = await adapterWith('ranks', [
      zeros('blk.0.attn_q.weight.lora_a', [320, 4]),
      zeros('blk.0.attn_q.weight.lora_b', [8, 320]),
    ]);
    expect(check(ranks)).toMatchObject({ message: expect.stringMatching(/of different ranks$/) });
  });

  it('refuses an alpha llama.cpp would abort on', async () => {
    const adapter = await adapterWith(
      'alpha',
      [
        zeros('blk.0.attn_q.weight.lora_a', [320, 4]),
        zeros('blk.0.attn_q.weight.lora_b', [4, 320]),
      ],
      kv.uint32(4),
    );
    expect(check(adapter)).toMatchObject({
      message: expect.stringMatching(/adapter.lora.alpha is uint32, llama.cpp needs float32$/),
    });
  });
});
