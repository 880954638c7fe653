import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import { createEngine } from './create-engine';
import type { Engine } from './engine-types';
import { collectAnswer } from './testing/collect-answer';

const BATCH = 16;
let engine: Engine;
const loadProgress: number[] = [];

beforeAll(async () => {
  await ensureFixtures();
  engine = await createEngine({
    modelPath: fixturePaths.base,
    adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
    gpu: false,
    threads: 1,
    contextSize: 2048,
    batchSize: BATCH,
    onLoadProgress: (progress) => loadProgress.push(progress),
  });
});

afterAll(async () => {
  await engine?.dispose();
});

describe('stop texts', () => {
  it('ends the reply where a stop text appears, without the text itself', async () => {
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0, stop: ['.'] });
    expect(FIXTURE_REPLIES.sft).toBe('Four.');
    expect(answer.text).toBe('Four');
    expect(answer.stats?.stopReason).toBe('stop-string');
  });

  it('stops inside the reasoning too, and a stop text the model never writes changes nothing', async () => {
    const stopped = await collectAnswer(engine, {
      mode: 'reasoning',
      temperature: 0,
      stop: [' four', 'never written'],
    });
    expect(stopped.reasoning).toBe('Two plus two is');
    expect(stopped.solution).toBe('');
    expect(stopped.stats?.stopReason).toBe('stop-string');

    const whole = await collectAnswer(engine, {
      mode: 'reasoning',
      temperature: 0,
      stop: ['never written'],
    });
    expect(whole.reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(whole.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(whole.stats?.stopReason).toBe('eos');
  });
});

describe('model loading', () => {
  it('reported its progress up to the whole file', () => {
    expect(loadProgress.length).toBeGreaterThan(0);
    expect(loadProgress.at(-1)).toBe(1);
    expect([...loadProgress].sort((a, b) => a - b)).toEqual(loadProgress);
  });
});

describe('cancelling a long prompt', () => {
  it('stops between batches of the prompt instead of evaluating all of it', async () => {
    // One byte is one token in the fixture vocabulary: about 1,200 prompt tokens, 75 batches.
    const question = 'the quick brown fox jumps over the lazy dog. '.repeat(27);
    const controller = new AbortController();
    const progress: number[] = [];
    const answer = await collectAnswer(engine, {
      mode: 'chat',
      question,
      temperature: 0,
      signal: controller.signal,
      onPromptProgress: (evaluated) => {
        progress.push(evaluated);
        // The client leaves once the first batch is in.
        controller.abort();
      },
    });
    const total = await engine.countTokens(question);
    expect(total).toBeGreaterThan(BATCH * 50);
    // One batch went in after the prefix kept from the previous answer (the system prompt).
    expect(progress).toHaveLength(1);
    expect(answer.stats?.stopReason).toBe('cancelled');
    expect(answer.stats?.promptTokens).toBe(progress[0]);
    expect(progress[0]).toBeLessThan(total / 2);
    expect(answer.stats?.completionTokens).toBe(0);
    expect(answer.text).toBe('');

    // The half-read prompt leaves the model consistent: the same question now answers in full.
    const again = await collectAnswer(engine, { mode: 'chat', question, temperature: 0 });
    expect(again.text).toBe(FIXTURE_REPLIES.sft);
    expect(again.stats?.stopReason).toBe('eos');
    expect(again.stats?.promptTokens).toBeGreaterThan(total);
  });
});
