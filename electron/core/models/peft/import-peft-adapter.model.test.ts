import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, LlamaChatSession } from 'node-llama-cpp';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_REPLIES, fixturePaths } from '../../../../models/fixtures';
import { EMBEDDING } from '../../../../models/fixtures/tiny-qwen';
import { importPeftAdapter } from './import-peft-adapter';
import {
  fixtureLmHead,
  peftConfig,
  pseudoRandom,
  readGgufTensor,
  writePeftFolder,
} from './testing/peft-folder';
import type { SafetensorsInput } from '../safetensors';

let llama: Llama;
let model: LlamaModel;
let work: string;

beforeAll(async () => {
  await ensureFixtures();
  work = await mkdtemp(join(tmpdir(), 'ponder-peft-'));
  llama = await getLlama({ gpu: false });
  model = await llama.loadModel({ modelPath: fixturePaths.base });
});

afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
  if (work) await rm(work, { recursive: true, force: true });
});

async function reply(adapter: string, question = 'What is 2+2?'): Promise<string> {
  const context = await model.createContext({
    threads: 1,
    contextSize: 512,
    lora: { adapters: [{ filePath: adapter }] },
  });
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    return await session.prompt(question, { maxTokens: 40 });
  } finally {
    await context.dispose();
  }
}

/**
 * LoRAs on all seven projections of block 0 with random A and zero B, as PEFT initialises them:
 * they exercise every name mapping and shape through llama.cpp's loader without changing replies.
 */
function untrainedProjections(rank: number): SafetensorsInput[] {
  const n = EMBEDDING;
  const ffn = 64;
  const modules: [string, number, number][] = [
    ['self_attn.q_proj', n, n],
    ['self_attn.k_proj', n, n],
    ['self_attn.v_proj', n, n],
    ['self_attn.o_proj', n, n],
    ['mlp.gate_proj', n, ffn],
    ['mlp.up_proj', n, ffn],
    ['mlp.down_proj', ffn, n],
  ];
  return modules.flatMap(([module, inFeatures, outFeatures], index) => [
    {
      name: `base_model.model.model.layers.0.${module}.lora_A.weight`,
      dtype: 'F32' as const,
      shape: [rank, inFeatures],
      values: pseudoRandom(rank * inFeatures, index + 1),
    },
    {
      name: `base_model.model.model.layers.0.${module}.lora_B.weight`,
      dtype: 'F32' as const,
      shape: [outFeatures, rank],
      values: new Float32Array(outFeatures * rank),
    },
  ]);
}

const ALL_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
  'lm_head',
];

describe('an imported PEFT folder through real llama.cpp', () => {
  it('answers exactly like the fixture adapters it was made from (SFT and GRPO)', async () => {
    for (const chain of ['sft', 'grpo'] as const) {
      const dir = await writePeftFolder(
        join(work, `${chain}-plain`),
        peftConfig({
          target_modules: ALL_MODULES,
          rank_pattern: { 'layers\\.0\\.(self_attn|mlp)\\.\\w+_proj': 8 },
        }),
        [...untrainedProjections(8), ...fixtureLmHead(chain)],
      );
      const result = await importPeftAdapter({ dir, base: fixturePaths.base });
      expect(result.pairs).toBe(8);
      const original = await reply(fixturePaths[chain]);
      expect(original).toBe(FIXTURE_REPLIES[chain]);
      expect(await reply(result.out)).toBe(original);
      expect(await reply(result.out, 'Why is the sky blue?')).toBe(
        await reply(fixturePaths[chain], 'Why is the sky blue?'),
      );
    }
  });

  it('writes the same lora_b the project’s own fixture adapter has', async () => {
    const dir = await writePeftFolder(join(work, 'sft-bytes'), peftConfig(), fixtureLmHead('sft'));
    const { out } = await importPeftAdapter({ dir, base: fixturePaths.base, type: 'F32' });
    const imported = await readGgufTensor(out, 'output.weight.lora_b');
    const original = await readGgufTensor(fixturePaths.sft, 'output.weight.lora_b');
    expect(imported.shape).toEqual(original.shape);
    expect(imported.values).toEqual(original.values);
  });

  it('keeps rsLoRA’s scale alpha/√r: a BF16 rsLoRA adapter still answers like the original', async () => {
    const scale = EMBEDDING / Math.sqrt(EMBEDDING);
    const dir = await writePeftFolder(
      join(work, 'sft-rslora'),
      peftConfig({ use_rslora: true }),
      fixtureLmHead('sft', 'BF16', scale),
    );
    const { out } = await importPeftAdapter({ dir, base: fixturePaths.base });
    expect(await reply(out)).toBe(FIXTURE_REPLIES.sft);
  });

  it('without rsLoRA taken into account the same weights would not answer like the original', async () => {
    // The control for the test above: the weights scaled for rsLoRA, read as plain LoRA.
    const scale = EMBEDDING / Math.sqrt(EMBEDDING);
    const dir = await writePeftFolder(
      join(work, 'sft-rslora-ignored'),
      peftConfig(),
      fixtureLmHead('sft', 'F32', scale),
    );
    const { out } = await importPeftAdapter({ dir, base: fixturePaths.base });
    expect(await reply(out)).not.toBe(FIXTURE_REPLIES.sft);
  });
});
