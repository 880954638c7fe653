import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePaths } from '../../../models/fixtures';
import { createEngine } from './create-engine';
import type { Engine } from './engine-types';
import { collectAnswer } from './testing/collect-answer';

/** Words a children's story cannot do without; random tokens would hit few of them. */
const COMMON_WORDS = new Set(
  'a an the and but so to of in on with was were is he she they it her his him them there one day little big girl boy named lily tim ben mom mommy play happy saw wanted said very went had time upon once friends friend toy toys park ball'.split(
    ' ',
  ),
);

let engine: Engine;

beforeAll(async () => {
  if (!existsSync(fixturePaths.stories260K)) {
    throw new Error(
      `Missing ${fixturePaths.stories260K}: the shared stories260K.gguf fixture is required.`,
    );
  }
  // No thread count given: the engine must pick one thread for a model this small by itself.
  engine = await createEngine({ modelPath: fixturePaths.stories260K, gpu: false });
});

afterAll(async () => {
  await engine?.dispose();
});

describe('stories260K (real tiny weights)', () => {
  it('picks one thread for a tiny model and says why', () => {
    const info = engine.info();
    expect(info.threads).toBe(1);
    expect(info.threadReason).toMatch(/too small/);
    expect(info.chatFormat).toBe('plain');
    expect(info.architecture).toBe('llama');
  });

  it('continues "Once upon a time" with real English words', async () => {
    const answer = await collectAnswer(engine, {
      mode: 'chat',
      question: 'Once upon a time',
      temperature: 0,
      maxTokens: 60,
    });
    const words = answer.text.toLowerCase().match(/[a-z]+/g) ?? [];
    expect(words.length).toBeGreaterThan(20);
    const known = words.filter((word) => COMMON_WORDS.has(word));
    expect(known.length / words.length).toBeGreaterThan(0.4);
    expect(answer.stats).toMatchObject({
      completionTokens: 60,
      stopReason: 'max-tokens',
      adapter: 'base',
    });
  });

  it('repeats a sampled answer for the same seed and varies it for another', async () => {
    const ask = (seed: number) =>
      collectAnswer(engine, {
        mode: 'chat',
        question: 'Once upon a time',
        temperature: 1,
        seed,
        maxTokens: 40,
      });
    const first = await ask(7);
    const again = await ask(7);
    const other = await ask(8);
    expect(again.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
  });

  it('stops a long answer on cancel and is ready for the next one', async () => {
    const controller = new AbortController();
    let pieces = 0;
    const cancelled = await collectAnswer(
      engine,
      {
        mode: 'chat',
        question: 'Once upon a time',
        temperature: 0,
        maxTokens: 1000,
        signal: controller.signal,
      },
      (event) => {
        if (event.type === 'text' && ++pieces === 5) controller.abort();
      },
    );
    expect(cancelled.stats?.stopReason).toBe('cancelled');
    expect(cancelled.stats?.completionTokens).toBeLessThanOrEqual(6);
    const next = await collectAnswer(engine, {
      mode: 'chat',
      question: 'Once upon a time',
      temperature: 0,
      maxTokens: 60,
    });
    expect(next.stats).toMatchObject({ completionTokens: 60, stopReason: 'max-tokens' });
    expect(next.text.startsWith(cancelled.text)).toBe(true);
  });
});
