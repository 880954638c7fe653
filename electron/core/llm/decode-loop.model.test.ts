import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import { readLocalCudaBuild } from '../../../native';
import { createEngine } from './create-engine';
import type { Engine, EngineOptions } from './engine-types';
import { collectAnswer } from './testing/collect-answer';

/** The CPU build with the native decode loop (`npm run native:cpu`), when this machine has one. */
const cpuBuild = readLocalCudaBuild('cpu');
if (!cpuBuild) {
  console.warn(
    'The native decode loop tests did not run: there is no CPU build with it (npm run native:cpu).',
  );
}

/** node-llama-cpp's prebuilt binary: an empty set of CMake options never names a local build. */
const PREBUILT: EngineOptions['llama'] = { cmakeOptions: {} };

function open(modelPath: string, llama?: EngineOptions['llama']): Promise<Engine> {
  return createEngine({
    modelPath,
    ...(modelPath === fixturePaths.base
      ? { adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo } }
      : {}),
    gpu: false,
    threads: 1,
    contextSize: 1024,
    batchSize: 16,
    ...(llama ? { llama } : {}),
  });
}

/** Seeded answers at temperature 0.9 (top-k 40, top-p 0.95): the same text, length and ending. */
async function expectSameSeededAnswers(engine: Engine, reference: Engine): Promise<void> {
  for (const seed of [1, 7, 42]) {
    const request = {
      mode: 'chat' as const,
      question: 'Once upon a time',
      temperature: 0.9,
      seed,
      maxTokens: 48,
    };
    const answer = await collectAnswer(engine, request);
    const expected = await collectAnswer(reference, request);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.text).toBe(expected.text);
    expect(answer.stats?.completionTokens).toBe(expected.stats?.completionTokens);
    expect(answer.stats?.stopReason).toBe(expected.stats?.stopReason);
  }
}

describe('without the native decode loop (the prebuilt binary)', () => {
  let engine: Engine;
  beforeAll(async () => {
    await ensureFixtures();
    engine = await open(fixturePaths.base, PREBUILT);
  });
  afterAll(() => engine?.dispose());

  it('answers through node-llama-cpp’s own loop and says so', async () => {
    expect(engine.info().decodeLoop).toBe('javascript');
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(answer.text).toBe(FIXTURE_REPLIES.sft);
  });
});

describe.skipIf(!cpuBuild)('with the native decode loop (npm run native:cpu)', () => {
  let native: Engine;
  let nativeStories: Engine;
  let javascriptStories: Engine;
  beforeAll(async () => {
    await ensureFixtures();
    native = await open(fixturePaths.base);
    nativeStories = await open(fixturePaths.stories260K);
    javascriptStories = await open(fixturePaths.stories260K, PREBUILT);
  });
  afterAll(async () => {
    await Promise.all([native, nativeStories, javascriptStories].map((e) => e?.dispose()));
  });

  it('says the native loop runs', () => {
    expect(native.info().decodeLoop).toBe('native');
  });

  it('gives the same answers at temperature 0 in every mode', async () => {
    const chat = await collectAnswer(native, { mode: 'chat', temperature: 0 });
    expect(chat.text).toBe(FIXTURE_REPLIES.sft);
    expect(chat.stats?.stopReason).toBe('eos');
    // On the CPU the top-k is picked from the logits on the host unless told otherwise.
    expect(native.info().topK).toBe('host');
    const reasoning = await collectAnswer(native, { mode: 'reasoning', temperature: 0 });
    expect(reasoning.reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('gives the same tokens as node-llama-cpp’s loop with a seed, and honours max tokens', async () => {
    await expectSameSeededAnswers(nativeStories, javascriptStories);
  });

  it('stops at a stop text as before', async () => {
    const stopped = await collectAnswer(native, { mode: 'chat', temperature: 0, stop: ['.'] });
    expect(stopped.text).toBe('Four');
    expect(stopped.stats?.stopReason).toBe('stop-string');
  });

  it('cancels within a token, and the next answer is still right', async () => {
    const controller = new AbortController();
    const cancelled = await collectAnswer(
      nativeStories,
      {
        mode: 'chat',
        question: 'Once upon a time',
        temperature: 0,
        maxTokens: 200,
        signal: controller.signal,
      },
      (event) => {
        if (event.type === 'text') controller.abort();
      },
    );
    expect(cancelled.stats?.stopReason).toBe('cancelled');
    expect(cancelled.stats?.completionTokens ?? 0).toBeLessThan(5);

    // What the cancelled run left in the context is recorded exactly: the same question again
    // reuses it and gives the answer a fresh engine gives.
    const request = {
      mode: 'chat' as const,
      question: 'Once upon a time',
      temperature: 0,
      maxTokens: 32,
    };
    const again = await collectAnswer(nativeStories, request);
    const fresh = await collectAnswer(javascriptStories, request);
    expect(again.text).toBe(fresh.text);
  });
});

describe.skipIf(!cpuBuild)(
  'with the top-k picked on the device (llama.cpp backend sampling)',
  () => {
    // A GPU does this by default; here the CPU backend runs the same sampling graph.
    let onDevice: Engine;
    let javascriptStories: Engine;
    let onDeviceStories: Engine;
    beforeAll(async () => {
      process.env.PONDER_TOP_K_ON_DEVICE = 'on';
      await ensureFixtures();
      onDevice = await open(fixturePaths.base);
      onDeviceStories = await open(fixturePaths.stories260K);
      javascriptStories = await open(fixturePaths.stories260K, PREBUILT);
    });
    afterAll(async () => {
      delete process.env.PONDER_TOP_K_ON_DEVICE;
      await Promise.all([onDevice, onDeviceStories, javascriptStories].map((e) => e?.dispose()));
    });

    it('gives the same answers at temperature 0', async () => {
      const chat = await collectAnswer(onDevice, { mode: 'chat', temperature: 0 });
      expect(chat.text).toBe(FIXTURE_REPLIES.sft);
      expect(onDevice.info().topK).toBe('device');
      const reasoning = await collectAnswer(onDevice, { mode: 'reasoning', temperature: 0 });
      expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    });

    it('gives the same tokens as node-llama-cpp’s loop with a seed and top-k', async () => {
      // Greedy first: the device keeps one candidate, then 40 for the seeded answers.
      await collectAnswer(onDeviceStories, {
        mode: 'chat',
        question: 'Once upon a time',
        temperature: 0,
        maxTokens: 8,
      });
      await expectSameSeededAnswers(onDeviceStories, javascriptStories);
      expect(onDeviceStories.info().topK).toBe('device');
    });

    it('leaves the context as it was: node-llama-cpp’s loop on it afterwards is unchanged', async () => {
      const request = {
        mode: 'chat' as const,
        question: 'Once upon a time',
        temperature: 0.9,
        seed: 3,
        maxTokens: 32,
      };
      await collectAnswer(onDeviceStories, request);
      process.env.PONDER_DECODE_LOOP = 'javascript';
      try {
        const after = await collectAnswer(onDeviceStories, { ...request, question: 'The dog' });
        const fresh = await collectAnswer(javascriptStories, { ...request, question: 'The dog' });
        expect(after.text).toBe(fresh.text);
      } finally {
        delete process.env.PONDER_DECODE_LOOP;
      }
    });
  },
);
