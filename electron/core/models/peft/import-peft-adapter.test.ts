import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { EMBEDDING } from '../../../../models/fixtures/tiny-qwen';
import { formatAppError, toAppError } from '../../errors';
import { kv, writeGguf } from '../gguf/gguf-writer';
import { readGgufHeader } from '../gguf/read-gguf-header';
import type { SafetensorsFloatType, SafetensorsInput } from '../safetensors';
import { importPeftAdapter } from './import-peft-adapter';
import {
  fixtureLmHead,
  matmul,
  peftConfig,
  pseudoRandom,
  readGgufTensor,
  writePeftFolder,
} from './testing/peft-folder';

let work: string;
let folders = 0;
beforeAll(async () => {
  await ensureFixtures();
  work = await mkdtemp(join(tmpdir(), 'ponder-peft-unit-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const FFN = 64;
const MODULES = {
  q_proj: {
    path: 'model.layers.0.self_attn.q_proj',
    target: 'blk.0.attn_q.weight',
    in: EMBEDDING,
    out: EMBEDDING,
  },
  down_proj: {
    path: 'model.layers.0.mlp.down_proj',
    target: 'blk.0.ffn_down.weight',
    in: FFN,
    out: EMBEDDING,
  },
  up_proj: {
    path: 'model.layers.0.mlp.up_proj',
    target: 'blk.0.ffn_up.weight',
    in: EMBEDDING,
    out: FFN,
  },
} as const;
type ModuleName = keyof typeof MODULES;

/** Values on a 1/64 grid in [-1, 1]: exact in F32, F16 and BF16, so every dtype means the same matrix. */
function gridValues(length: number, seed: number): Float32Array {
  return pseudoRandom(length, seed).map((value) => Math.round(value * 64) / 64);
}

interface Source {
  a: Float32Array;
  b: Float32Array;
  rank: number;
}

function loraTensors(ranks: Partial<Record<ModuleName, number>>, dtype: SafetensorsFloatType) {
  const tensors: SafetensorsInput[] = [];
  const sources = {} as Record<ModuleName, Source>;
  let seed = 1;
  for (const [name, rank] of Object.entries(ranks) as [ModuleName, number][]) {
    const module = MODULES[name];
    const a = gridValues(rank * module.in, seed++);
    const b = gridValues(module.out * rank, seed++);
    sources[name] = { a, b, rank };
    tensors.push(
      {
        name: `base_model.model.${module.path}.lora_A.weight`,
        dtype,
        shape: [rank, module.in],
        values: a,
      },
      {
        name: `base_model.model.${module.path}.lora_B.weight`,
        dtype,
        shape: [module.out, rank],
        values: b,
      },
    );
  }
  return { tensors, sources };
}

async function folder(
  config: Record<string, unknown>,
  tensors: SafetensorsInput[],
): Promise<string> {
  return writePeftFolder(join(work, `adapter-${folders++}`), config, tensors);
}

/** What llama.cpp adds for this target: (alpha / rank) · B·A, with rank = lora_b's ne[0]. */
async function appliedDelta(out: string, module: ModuleName): Promise<Float64Array> {
  const { target, in: inFeatures, out: outFeatures } = MODULES[module];
  const alpha = (await readGgufHeader(out)).metadata['adapter.lora.alpha']?.value as number;
  const a = await readGgufTensor(out, `${target}.lora_a`);
  const b = await readGgufTensor(out, `${target}.lora_b`);
  const rank = b.shape[0] as number;
  expect(a.shape).toEqual([inFeatures, rank]);
  expect(b.shape).toEqual([rank, outFeatures]);
  return matmul(b.values, a.values, outFeatures, rank, inFeatures, alpha / rank);
}

function expectClose(actual: Float64Array, expected: Float64Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let index = 0; index < actual.length; index++) {
    worst = Math.max(worst, Math.abs((actual[index] ?? 0) - (expected[index] ?? 0)));
  }
  expect(worst).toBeLessThan(tolerance);
}

function reference(source: Source, module: ModuleName, scale: number): Float64Array {
  return matmul(source.b, source.a, MODULES[module].out, source.rank, MODULES[module].in, scale);
}

describe('PEFT scale is exact in the imported adapter (B·A·scale as PEFT computes it)', () => {
  const cases: {
    title: string;
    config: Record<string, unknown>;
    ranks: Partial<Record<ModuleName, number>>;
    scales: Partial<Record<ModuleName, number>>;
  }[] = [
    {
      title: 'plain LoRA: alpha / r',
      config: { r: 4, lora_alpha: 8 },
      ranks: { q_proj: 4, down_proj: 4 },
      scales: { q_proj: 2, down_proj: 2 },
    },
    {
      title: 'rsLoRA: alpha / √r',
      config: { r: 4, lora_alpha: 8, use_rslora: true },
      ranks: { q_proj: 4, down_proj: 4 },
      scales: { q_proj: 4, down_proj: 4 },
    },
    {
      title: 'rank_pattern: the module’s own rank',
      config: { r: 4, lora_alpha: 8, rank_pattern: { q_proj: 2 } },
      ranks: { q_proj: 2, down_proj: 4 },
      scales: { q_proj: 4, down_proj: 2 },
    },
    {
      title: 'alpha_pattern: the module’s own alpha, folded into lora_b',
      config: { r: 4, lora_alpha: 8, alpha_pattern: { 'mlp.down_proj': 32 } },
      ranks: { q_proj: 4, down_proj: 4 },
      scales: { q_proj: 2, down_proj: 8 },
    },
    {
      title: 'rsLoRA with rank_pattern and alpha_pattern together',
      config: {
        r: 16,
        lora_alpha: 8,
        use_rslora: true,
        rank_pattern: { 'layers\\.0\\.self_attn\\.q_proj': 4 },
        alpha_pattern: { up_proj: 3 },
      },
      ranks: { q_proj: 4, down_proj: 16, up_proj: 16 },
      scales: { q_proj: 8 / 2, down_proj: 8 / 4, up_proj: 3 / 4 },
    },
  ];
  for (const { title, config, ranks, scales } of cases) {
    it(title, async () => {
      const { tensors, sources } = loraTensors(ranks, 'F32');
      const dir = await folder(
        peftConfig({ ...config, target_modules: Object.keys(ranks) }),
        tensors,
      );
      const result = await importPeftAdapter({ dir, base: fixturePaths.base, type: 'F32' });
      for (const module of Object.keys(ranks) as ModuleName[]) {
        expectClose(
          await appliedDelta(result.out, module),
          reference(sources[module], module, scales[module]!),
          1e-4,
        );
      }
    });
  }

  for (const dtype of ['F16', 'BF16', 'F32'] as const) {
    it(`reads ${dtype} weights and writes F16 by default`, async () => {
      const { tensors, sources } = loraTensors({ q_proj: 8, up_proj: 8 }, dtype);
      const dir = await folder(
        peftConfig({ r: 8, lora_alpha: 16, target_modules: ['q_proj', 'up_proj'] }),
        tensors,
      );
      const result = await importPeftAdapter({ dir, base: fixturePaths.base });
      const header = await readGgufHeader(result.out);
      expect(header.tensors.map((tensor) => tensor.type)).toEqual(['F16', 'F16', 'F16', 'F16']);
      expect(header.metadata['adapter.lora.alpha']).toEqual({ type: 'float32', value: 16 });
      expect(header.metadata['ponder.peft.version']?.value).toBe('0.18.1');
      expect(header.metadata['ponder.peft.config_sha256']?.value).toMatch(/^[0-9a-f]{64}$/);
      // Grid values are exact in F16, so the only error is none at all.
      expectClose(
        await appliedDelta(result.out, 'q_proj'),
        reference(sources.q_proj, 'q_proj', 2),
        1e-9,
      );
    });
  }
});

async function refusal(
  config: Record<string, unknown>,
  tensors?: SafetensorsInput[],
): Promise<string> {
  const dir = await folder(
    peftConfig(config),
    tensors ?? loraTensors({ q_proj: 4 }, 'F32').tensors,
  );
  const before = await readdir(dir);
  const error = await importPeftAdapter({ dir, base: fixturePaths.base }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeDefined();
  expect(await readdir(dir)).toEqual(before);
  const line = formatAppError(toAppError(error));
  expect(line).not.toContain('\n');
  expect(toAppError(error).code).not.toBe('internal');
  return line;
}

describe('refusals: one clear line each, and nothing written', () => {
  const base = { r: 4, lora_alpha: 8, target_modules: ['q_proj'] };
  it('DoRA', async () => {
    expect(await refusal({ ...base, use_dora: true })).toMatch(
      /uses DoRA .*magnitude vector.*merge_and_unload/,
    );
  });
  it('modules_to_save with full embedding and head weights', async () => {
    expect(await refusal({ ...base, modules_to_save: ['embed_tokens', 'lm_head'] })).toMatch(
      /saves full copies of \["embed_tokens","lm_head"\] \(modules_to_save\)/,
    );
  });
  it('lora_bias and trained biases', async () => {
    expect(await refusal({ ...base, lora_bias: true })).toMatch(/trains biases/);
    expect(await refusal({ ...base, bias: 'all' })).toMatch(/trains biases .*bias="all"/);
  });
  it('fan_in_fan_out', async () => {
    expect(await refusal({ ...base, fan_in_fan_out: true })).toMatch(
      /fan_in_fan_out, which is for GPT-2-style Conv1D/,
    );
  });
  it('QA-LoRA and activated LoRA', async () => {
    expect(await refusal({ ...base, use_qalora: true })).toMatch(/uses QA-LoRA/);
    expect(await refusal({ ...base, alora_invocation_tokens: [27, 91] })).toMatch(
      /is an activated LoRA/,
    );
  });
  it('unknown target modules', async () => {
    expect(await refusal({ ...base, target_modules: ['q_proj', 'c_attn'] })).toMatch(
      /targets c_attn, which Ponder cannot map/,
    );
  });
  it('a tensor on a module llama.cpp has no counterpart for', async () => {
    const tensors: SafetensorsInput[] = [
      {
        name: 'base_model.model.model.embed_tokens.lora_embedding_A',
        dtype: 'F32',
        shape: [4, 8],
        values: new Float32Array(32),
      },
    ];
    expect(await refusal({ ...base, target_modules: 'embed_tokens' }, tensors)).toMatch(
      /is not a LoRA A or B matrix|embedding LoRA/,
    );
  });
  it('a pickle adapter_model.bin, which is never opened', async () => {
    const dir = join(work, 'pickle');
    await writePeftFolder(dir, peftConfig(base), []);
    await rm(join(dir, 'adapter_model.safetensors'));
    await writeFile(join(dir, 'adapter_model.bin'), 'cos\nsystem\n(S"echo pwned"\ntR.');
    const error = await importPeftAdapter({ dir, base: fixturePaths.base }).catch(
      (caught: unknown) => caught,
    );
    expect(formatAppError(toAppError(error))).toMatch(
      /adapter_model\.bin, a Python pickle, which Ponder never opens.*safe_serialization=True/,
    );
  });
  it('a layer the base does not have', async () => {
    const tensors: SafetensorsInput[] = [
      {
        name: 'base_model.model.model.layers.5.self_attn.q_proj.lora_A.weight',
        dtype: 'F32',
        shape: [4, EMBEDDING],
        values: new Float32Array(4 * EMBEDDING),
      },
      {
        name: 'base_model.model.model.layers.5.self_attn.q_proj.lora_B.weight',
        dtype: 'F32',
        shape: [EMBEDDING, 4],
        values: new Float32Array(4 * EMBEDDING),
      },
    ];
    expect(await refusal(base, tensors)).toMatch(/has layer 5, the base has 1 layers/);
  });
  it('a shape that differs from the base (an adapter for a wider model)', async () => {
    const tensors: SafetensorsInput[] = [
      {
        name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight',
        dtype: 'F32',
        shape: [4, 512],
        values: new Float32Array(4 * 512),
      },
      {
        name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight',
        dtype: 'F32',
        shape: [512, 4],
        values: new Float32Array(4 * 512),
      },
    ];
    expect(await refusal(base, tensors)).toMatch(
      /maps 512 → 512 features, the base's blk\.0\.attn_q\.weight maps 320 → 320/,
    );
  });
  it('weights whose rank disagrees with the config', async () => {
    expect(await refusal({ ...base, r: 8 })).toMatch(
      /has rank 4 in the weights but 8 in adapter_config\.json/,
    );
  });
  it('a lone lora_A', async () => {
    const { tensors } = loraTensors({ q_proj: 4 }, 'F32');
    expect(await refusal(base, tensors.slice(0, 1))).toMatch(/has lora_B missing/);
  });
  it('a folder without adapter_config.json', async () => {
    const error = await importPeftAdapter({ dir: work, base: fixturePaths.base }).catch(
      (caught: unknown) => caught,
    );
    expect(formatAppError(toAppError(error))).toMatch(
      /has no adapter_config\.json, so it is not a PEFT adapter folder/,
    );
  });
  it('an adapter GGUF passed as the base', async () => {
    const dir = await folder(peftConfig(base), loraTensors({ q_proj: 4 }, 'F32').tensors);
    const error = await importPeftAdapter({ dir, base: fixturePaths.sft }).catch(
      (caught: unknown) => caught,
    );
    expect(formatAppError(toAppError(error))).toMatch(/is a LoRA adapter, not a base model/);
  });
  it('a value F16 cannot hold, unless F32 is asked for', async () => {
    const tensors = loraTensors({ q_proj: 4 }, 'F32').tensors;
    tensors[1]!.values[3] = 1e6;
    expect(await refusal(base, tensors)).toMatch(
      /lora_B\.weight holds 1000000, which F16 cannot store; nothing was written\. Import it again with --f32/,
    );
    const dir = await folder(peftConfig(base), tensors);
    const { out } = await importPeftAdapter({ dir, base: fixturePaths.base, type: 'F32' });
    expect((await readGgufTensor(out, 'blk.0.attn_q.weight.lora_b')).values[3]).toBe(1e6);
  });
  it('an existing output file is kept unless replacing is asked for', async () => {
    const dir = await folder(peftConfig(base), loraTensors({ q_proj: 4 }, 'F32').tensors);
    const out = join(dir, 'mine.gguf');
    await writeFile(out, 'keep me');
    const error = await importPeftAdapter({ dir, base: fixturePaths.base, out }).catch(
      (caught: unknown) => caught,
    );
    expect(formatAppError(toAppError(error))).toMatch(/already exists; nothing was written/);
    const replaced = await importPeftAdapter({
      dir,
      base: fixturePaths.base,
      out,
      overwrite: true,
    });
    expect(replaced.bytes).toBeGreaterThan(7);
  });
});

describe('base model name check', () => {
  it('warns when the adapter was trained on an Instruct model and the GGUF is not one', async () => {
    const { tensors } = loraTensors({ q_proj: 4 }, 'F32');
    const config = { r: 4, lora_alpha: 8, target_modules: ['q_proj'] };
    const instruct = await folder(
      peftConfig({ ...config, base_model_name_or_path: 'Qwen/Qwen2.5-7B-Instruct' }),
      tensors,
    );
    const warned = await importPeftAdapter({ dir: instruct, base: fixturePaths.base });
    expect(warned.warnings).toEqual([
      expect.stringMatching(
        /trained on "Qwen\/Qwen2.5-7B-Instruct" and the base GGUF is "Ponder tiny qwen2 fixture"/,
      ),
    ]);
    const matching = await folder(peftConfig(config), tensors);
    expect((await importPeftAdapter({ dir: matching, base: fixturePaths.base })).warnings).toEqual(
      [],
    );
  });
});

describe('a base model split in parts', () => {
  /** A qwen2 base in two files, as Qwen ships its 7B GGUF: output.weight only in the second. */
  async function splitBase(dir: string, withSecond = true): Promise<string> {
    const first = join(dir, 'base-00001-of-00002.gguf');
    const common = { 'split.count': kv.uint16(2), 'split.tensors.count': kv.int32(2) };
    await writeGguf(first, {
      metadata: {
        'general.architecture': 'qwen2',
        'general.type': 'model',
        'general.name': 'Ponder tiny qwen2 fixture',
        'qwen2.block_count': kv.uint32(1),
        'split.no': kv.uint16(0),
        ...common,
      },
      tensors: [
        {
          name: 'blk.0.attn_q.weight',
          shape: [EMBEDDING, EMBEDDING],
          type: 'F32',
          values: new Float32Array(EMBEDDING * EMBEDDING),
        },
      ],
    });
    if (withSecond) {
      await writeGguf(join(dir, 'base-00002-of-00002.gguf'), {
        metadata: { 'split.no': kv.uint16(1), ...common },
        tensors: [
          {
            name: 'output.weight',
            shape: [EMBEDDING, 272],
            type: 'F32',
            values: new Float32Array(EMBEDDING * 272),
          },
        ],
      });
    }
    return first;
  }

  it('finds the tensors of every part', async () => {
    const dir = await mkdtemp(join(work, 'split-'));
    const base = await splitBase(dir);
    const adapter = await folder(peftConfig(), fixtureLmHead('sft'));
    const result = await importPeftAdapter({ dir: adapter, base });
    expect(result.pairs).toBe(1);
  });

  it('says which part is missing', async () => {
    const dir = await mkdtemp(join(work, 'split-missing-'));
    const base = await splitBase(dir, false);
    const adapter = await folder(peftConfig(), fixtureLmHead('sft'));
    const error = await importPeftAdapter({ dir: adapter, base }).catch(
      (caught: unknown) => caught,
    );
    expect(formatAppError(toAppError(error))).toMatch(
      /Part 2 of 2 of the base model is missing: .*base-00002-of-00002\.gguf/,
    );
  });
});
