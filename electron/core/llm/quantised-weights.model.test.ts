import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSyntheticModel } from '../../../bench/synthetic-model';
import { readLocalCudaBuild } from '../../../native';
import { createEngine } from './create-engine';
import type { Engine, EngineOptions } from './engine-types';
import { collectAnswer } from './testing/collect-answer';

/**
 * Real models are Q4_K_M, whose CPU kernels the fixtures (F32) never reach. A CPU build compiled
 * for the machine once died on them with SIGILL (AMX: native/cpu-flags.ts), which took the whole
 * model process down on the first question; this reads a small Q4_K_M model through both binaries.
 */
const cpuBuild = readLocalCudaBuild('cpu');
const PREBUILT: EngineOptions['llama'] = { cmakeOptions: {} };
const SMALL_QWEN = {
  name: 'small',
  blocks: 2,
  embedding: 512,
  feedForward: 1024,
  heads: 8,
  kvHeads: 2,
  vocab: 151936,
  tiedEmbeddings: true,
};

describe.skipIf(!cpuBuild)('a Q4_K_M model on the CPU build made here (npm run native:cpu)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ponder-q4k-'));
  const modelPath = join(dir, 'small-q4_k_m.gguf');
  const engines: Engine[] = [];
  const open = async (llama?: EngineOptions['llama']) => {
    const engine = await createEngine({
      modelPath,
      gpu: false,
      threads: 2,
      contextSize: 1024,
      ...(llama ? { llama } : {}),
    });
    engines.push(engine);
    return engine;
  };
  beforeAll(async () => {
    await ensureSyntheticModel(modelPath, SMALL_QWEN);
  });
  afterAll(async () => {
    await Promise.all(engines.map((engine) => engine.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a long question with the same tokens as the prebuilt binary', async () => {
    const request = {
      mode: 'chat' as const,
      // Long enough for batched matrix products, the path the SIGILL was on.
      question: 'the quick brown fox jumps over the lazy dog '.repeat(8),
      temperature: 0,
      maxTokens: 8,
    };
    const native = await open();
    expect(native.info().decodeLoop).toBe('native');
    const answer = await collectAnswer(native, request);
    const expected = await collectAnswer(await open(PREBUILT), request);
    expect(answer.stats?.completionTokens).toBe(8);
    expect(answer.text).toBe(expected.text);
  });
});
