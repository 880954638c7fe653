/**
 * Fast modes end to end with the real llama.cpp tools (llama-export-lora, llama-quantize) and real
 * llama.cpp through node-llama-cpp, on the constructed fixture models.
 *
 * The tools are a separate CPU build (`npm run native:tools`). Vitest's global setup does not build
 * them: on the 2-core CI machine the llama-server build it already does takes about an hour of the
 * 90-minute budget, and this build compiles the same ggml/llama/common libraries again (see
 * native/README.md for the measured time). Without the build these tests are skipped and say so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_REPLIES, fixturePaths } from '../../../../models/fixtures';
import { runCli } from '../../cli/main';
import { PonderError } from '../../errors';
import { createEngine } from '../../llm/create-engine';
import { collectAnswer } from '../../llm/testing/collect-answer';
import { chooseFastModes } from '../../llm/fast-modes';
import { createRemoteEngine, forkModelHost } from '../../model-host';
import { agreementThreshold, measureAgreement } from './check-agreement';
import { mergeAdapter } from './merge-adapter';
import type { MergeProgress } from './merge-adapter';
import { findMergeTools } from './merge-tools';

const tools = findMergeTools();
if (!tools) {
  console.warn(
    'Skipping the merge tests: llama-export-lora and llama-quantize are not built. Run `npm run native:tools` (a CPU build, cached in ~/.cache/ponder/llama-tools).',
  );
}

let dataDir: string;
let cacheRoot: string;

beforeAll(async () => {
  await ensureFixtures();
  dataDir = await mkdtemp(join(tmpdir(), 'ponder-merge-'));
  cacheRoot = join(dataDir, 'merged');
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' });
}

async function greedyReply(modelPath: string, adapters: { sft?: string } = {}): Promise<string> {
  const engine = await createEngine({
    modelPath,
    adapters,
    gpu: false,
    threads: 1,
    contextSize: 512,
  });
  try {
    return (await collectAnswer(engine, { mode: 'chat', temperature: 0 })).text;
  } finally {
    await engine.dispose();
  }
}

// Each test runs the tools or loads models several times; the 2-core machine is often busy.
const SLOW = { timeout: 240_000 };

describe.skipIf(!tools)('merging a mode adapter into the base (real llama.cpp tools)', () => {
  let mergedPath = '';

  it(
    'makes a model whose greedy reply is the base + LoRA reply, and records its agreement',
    SLOW,
    async () => {
      const progress: MergeProgress[] = [];
      const result = await mergeAdapter({
        basePath: fixturePaths.base,
        adapterPath: fixturePaths.sft,
        cacheRoot,
        tools: tools!,
        threads: 1,
        gpu: false,
        onProgress: (event) => progress.push(event),
      });
      mergedPath = result.path;
      expect(result.cached).toBe(false);
      expect(result.ran).toEqual(['export', 'quantize', 'check']);
      // The fixture base is F32: merging is exact, so every position agrees.
      expect(result.quality.agreement).toBe(1);
      expect(result.quality.positions).toBeGreaterThan(50);
      const saved = JSON.parse(readFileSync(join(result.path, '..', 'quality.json'), 'utf8')) as {
        agreement: number;
      };
      expect(saved.agreement).toBe(1);
      // Progress in real numbers: bytes of the F32 intermediate, then tensors, then positions.
      const exportDone = progress.filter((p) => p.step === 'export').at(-1)!;
      expect(exportDone.unit).toBe('bytes');
      expect(exportDone.done).toBe(exportDone.total);
      expect(exportDone.total).toBeGreaterThan(2_000_000);
      expect(progress.some((p) => p.step === 'quantize' && p.done > 0)).toBe(true);
      expect(progress.at(-1)).toMatchObject({ step: 'check', done: result.quality.positions });

      const withLora = await greedyReply(fixturePaths.base, { sft: fixturePaths.sft });
      const merged = await greedyReply(result.path);
      expect(withLora).toBe(FIXTURE_REPLIES.sft);
      expect(merged).toBe(withLora);
    },
  );

  it('finds the finished merge in the cache the second time', async () => {
    const result = await mergeAdapter({
      basePath: fixturePaths.base,
      adapterPath: fixturePaths.sft,
      cacheRoot,
      tools: tools!,
    });
    expect(result).toMatchObject({ cached: true, ran: [], path: mergedPath });
  });

  it('serves the chat mode from the merged model when fast modes are on', SLOW, async () => {
    const engine = await createEngine({
      modelPath: fixturePaths.base,
      adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
      gpu: false,
      threads: 1,
      contextSize: 512,
      dataDir,
      fastModes: 'on',
    });
    try {
      const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(answer.text).toBe(FIXTURE_REPLIES.sft);
      expect(engine.info().fastModes?.models).toEqual({ sft: mergedPath });
      expect(engine.info().fastModes?.reason).toMatch(/no merged model for grpo/);
    } finally {
      await engine.dispose();
    }
  });

  it(
    'says through the model process which modes run merged, so health can show it',
    SLOW,
    async () => {
      // The app's own data folder (ponder --data-dir) and its setting cross to the model process.
      const hosted = await createRemoteEngine(
        {
          modelPath: fixturePaths.base,
          dataDir,
          fastModes: 'on',
          adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
          gpu: false,
          threads: 1,
          contextSize: 512,
        },
        { spawn: forkModelHost() },
      );
      try {
        expect(hosted.info().fastModes?.models).toEqual({ sft: mergedPath });
        expect(hosted.info().fastModes?.reason).toMatch(/no merged model for grpo/);
      } finally {
        await hosted.dispose();
      }
    },
  );

  it('keeps runtime LoRA on auto unless every mode is merged and fits in free memory', async () => {
    const adapters = { sft: fixturePaths.sft };
    const fits = await chooseFastModes({
      setting: 'auto',
      basePath: fixturePaths.base,
      adapters,
      cacheRoot,
      freeMemoryBytes: 1e9,
    });
    expect(fits.models).toEqual({ sft: mergedPath });
    const tight = await chooseFastModes({
      setting: 'auto',
      basePath: fixturePaths.base,
      adapters,
      cacheRoot,
      freeMemoryBytes: 1000,
    });
    expect(tight.models).toEqual({});
    expect(tight.reason).toMatch(/need .* GB and .* of memory is free/);
    const partly = await chooseFastModes({
      setting: 'auto',
      basePath: fixturePaths.base,
      adapters: { ...adapters, grpo: fixturePaths.grpo },
      cacheRoot,
      freeMemoryBytes: 1e9,
    });
    expect(partly.models).toEqual({});
  });

  it(
    'cancels while llama-quantize runs: no partial file is left, and the next run resumes',
    SLOW,
    async () => {
      const controller = new AbortController();
      const attempt = mergeAdapter({
        basePath: fixturePaths.base,
        adapterPath: fixturePaths.grpo,
        cacheRoot,
        tools: tools!,
        threads: 1,
        gpu: false,
        signal: controller.signal,
        onProgress: (event) => {
          if (event.step === 'quantize' && event.done > 0) controller.abort();
        },
      });
      await expect(attempt).rejects.toMatchObject({ code: 'cancelled' });
      const left = filesUnder(cacheRoot);
      expect(left.filter((file) => file.endsWith('.partial'))).toEqual([]);
      expect(left.filter((file) => file.endsWith('merged.gguf')).length).toBe(1); // only the SFT one

      const resumed = await mergeAdapter({
        basePath: fixturePaths.base,
        adapterPath: fixturePaths.grpo,
        cacheRoot,
        tools: tools!,
        threads: 1,
        gpu: false,
      });
      // The finished llama-export-lora step is not redone.
      expect(resumed.ran).toEqual(['quantize', 'check']);
      expect(resumed.quality.agreement).toBe(1);

      // The check tells a wrong merge apart: the GRPO merge read against base + SFT disagrees.
      const wrong = await measureAgreement({
        basePath: fixturePaths.base,
        adapterPath: fixturePaths.sft,
        mergedPath: resumed.path,
        gpu: false,
        threads: 1,
      });
      expect(wrong.agreement).toBeLessThan(agreementThreshold('F32'));
    },
  );

  it('refuses with one line when the disk is too small, before writing anything', async () => {
    const root = join(dataDir, 'small-disk');
    const attempt = mergeAdapter({
      basePath: fixturePaths.base,
      adapterPath: fixturePaths.sft,
      cacheRoot: root,
      tools: tools!,
      freeBytes: () => Promise.resolve(10_000_000),
    });
    const error = (await attempt.catch((caught: unknown) => caught)) as PonderError;
    expect(error).toBeInstanceOf(PonderError);
    expect(error.message).toMatch(
      /^Not enough disk space to merge .*tiny-qwen2-sft-lora\.gguf: it needs \d+\.\d MB in .* and 10\.0 MB is free\.$/,
    );
    expect(error.message).not.toContain('\n');
    expect(filesUnder(root).filter((file) => file.endsWith('.gguf'))).toEqual([]);
  });

  it('refuses an adapter made for another base with one clear line', async () => {
    const attempt = mergeAdapter({
      basePath: fixturePaths.base,
      adapterPath: fixturePaths.adapterOtherBase,
      cacheRoot,
      tools: tools!,
    });
    const error = (await attempt.catch((caught: unknown) => caught)) as PonderError;
    expect(error.code).toBe('adapter-mismatch');
    expect(error.message).toMatch(
      /^Adapter .*other-base-lora\.gguf does not fit .*tiny-qwen2\.gguf: /,
    );
    expect(error.message).not.toContain('\n');
  });

  it('ponder models merge prints the merged model and its agreement', SLOW, async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out: string[] = [];
    const err: string[] = [];
    stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    const code = await runCli(
      [
        'models',
        'merge',
        '--mode',
        'all',
        '--model',
        fixturePaths.base,
        '--sft',
        fixturePaths.sft,
        '--grpo',
        fixturePaths.grpo,
        '--threads',
        '1',
      ],
      { stdout, stderr, env: { PONDER_DATA_DIR: dataDir }, signal: new AbortController().signal },
    );
    expect(err.join('')).toContain('chat: merging');
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toContain(`chat: ${mergedPath}`);
    expect(text).toMatch(/reasoning: .*merged\.gguf/);
    expect(text).toMatch(/agreement with base \+ LoRA: 100\.0% of \d+ tokens/);
  });
});
