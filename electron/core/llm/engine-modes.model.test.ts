import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import { formatCompliance } from '../reasoning';
import { createEngine } from './create-engine';
import { systemPromptFor } from './system-prompts';
import type { Engine } from './engine-types';
import { collectAnswer, terminalEvents } from './testing/collect-answer';

let engine: Engine;

beforeAll(async () => {
  await ensureFixtures();
  engine = await createEngine({
    modelPath: fixturePaths.base,
    adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
    gpu: false,
    threads: 1,
    contextSize: 1024,
  });
});

afterAll(async () => {
  await engine?.dispose();
});

describe('engine modes on the fixture model', () => {
  it('loads the base once with its ChatML template and both adapters', () => {
    const info = engine.info();
    expect(info.architecture).toBe('qwen2');
    expect(info.chatFormat).not.toBe('plain');
    expect(info.adapters).toEqual({ sft: fixturePaths.sft, grpo: fixturePaths.grpo });
    expect(info.adapterErrors).toEqual({});
    expect(info.threads).toBe(1);
    expect(info.contextSize).toBe(1024);
  });

  it('answers chat with the SFT adapter as plain text', async () => {
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(answer.text).toBe(FIXTURE_REPLIES.sft);
    expect(answer.reasoning).toBe('');
    expect(answer.solution).toBe('');
    expect(answer.stats).toMatchObject({ mode: 'chat', adapter: 'sft', stopReason: 'eos' });
    expect(terminalEvents(answer)).toEqual(['done']);
    expect(answer.events.at(-1)?.type).toBe('done');
  });

  it('answers reasoning with the GRPO adapter as reasoning and solution events', async () => {
    const answer = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(answer.reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(answer.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(answer.text).toBe('');
    // Reasoning streams in pieces before the solution starts.
    const types = answer.events.map((event) => event.type);
    expect(types.filter((type) => type === 'reasoning').length).toBeGreaterThan(1);
    expect(types.lastIndexOf('reasoning')).toBeLessThan(types.indexOf('solution'));
    expect(formatCompliance(FIXTURE_REPLIES.grpo)).toBe('exact');
    const stats = answer.stats;
    expect(stats).toMatchObject({ mode: 'reasoning', adapter: 'grpo', stopReason: 'eos' });
    expect(stats?.promptTokens).toBeGreaterThan(0);
    expect(stats?.completionTokens).toBe(11);
    expect(stats?.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(stats?.tokensPerSecond).toBeGreaterThan(0);
  });

  it('answers search with the GRPO adapter too', async () => {
    const answer = await collectAnswer(engine, { mode: 'search', temperature: 0.6, seed: 1 });
    expect(answer.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(answer.stats).toMatchObject({ mode: 'search', adapter: 'grpo' });
  });

  it('switches back and forth between adapters without reloading the model', async () => {
    const replies: string[] = [];
    for (const mode of ['chat', 'reasoning', 'chat', 'search', 'chat', 'reasoning'] as const) {
      const answer = await collectAnswer(engine, { mode, temperature: 0 });
      replies.push(answer.text || `${answer.reasoning}|${answer.solution}`);
      const prepared = await engine.prepare(mode);
      expect(prepared.created).toBe(false);
    }
    const grpo = `${FIXTURE_GRPO_PARTS.reasoning}|${FIXTURE_GRPO_PARTS.solution}`;
    expect(replies).toEqual([
      FIXTURE_REPLIES.sft,
      grpo,
      FIXTURE_REPLIES.sft,
      grpo,
      FIXTURE_REPLIES.sft,
      grpo,
    ]);
  });

  it('takes a custom system prompt and earlier turns', async () => {
    const plain = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    const custom = await collectAnswer(engine, {
      mode: 'chat',
      temperature: 0,
      systemPrompt: 'You are terse.',
    });
    // The custom system prompt replaced the default one, nothing else changed.
    const defaultLength = await engine.countTokens(systemPromptFor('chat'));
    const customLength = await engine.countTokens('You are terse.');
    expect(custom.stats?.promptTokens).toBe(
      (plain.stats?.promptTokens ?? 0) - defaultLength + customLength,
    );

    const followUp = await collectAnswer(engine, {
      mode: 'chat',
      temperature: 0,
      systemPrompt: 'You are terse.',
      messages: [
        { role: 'user', text: 'What is 1+1?' },
        { role: 'assistant', text: 'Two.' },
        { role: 'user', text: '2+2?' },
      ],
    });
    expect(followUp.text).toBe(FIXTURE_REPLIES.sft);
    const turns = await engine.countTokens('What is 1+1?Two.');
    expect(followUp.stats?.promptTokens).toBeGreaterThan((custom.stats?.promptTokens ?? 0) + turns);
  });

  it('stops at maxTokens', async () => {
    const answer = await collectAnswer(engine, { mode: 'reasoning', temperature: 0, maxTokens: 3 });
    expect(answer.stats).toMatchObject({ completionTokens: 3, stopReason: 'max-tokens' });
    // The opening tag is the first of the three tokens.
    expect(answer.reasoning).toBe('Two plus');
    expect(answer.solution).toBe('');
  });

  it('cancels within one token and answers in full afterwards', async () => {
    const controller = new AbortController();
    const cancelled = await collectAnswer(
      engine,
      { mode: 'reasoning', temperature: 0, signal: controller.signal },
      (event) => {
        if (event.type === 'reasoning') controller.abort();
      },
    );
    // `<start_working_out>` and `Two`: nothing was generated after the cancel.
    expect(cancelled.stats).toMatchObject({ stopReason: 'cancelled', completionTokens: 2 });
    expect(cancelled.reasoning).toBe('Two');
    expect(cancelled.solution).toBe('');
    expect(terminalEvents(cancelled)).toEqual(['done']);

    const after = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(after.reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(after.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('frees the engine when a caller stops reading mid-answer', async () => {
    for await (const event of engine.generate({
      mode: 'reasoning',
      temperature: 0,
      messages: [{ role: 'user', text: '2+2?' }],
    })) {
      if (event.type === 'reasoning') break;
    }
    const next = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(next.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('ends a request cancelled before it starts with done/cancelled and no text', async () => {
    const answer = await collectAnswer(engine, { mode: 'chat', signal: AbortSignal.abort() });
    expect(answer.events).toHaveLength(1);
    expect(answer.stats).toMatchObject({ stopReason: 'cancelled', completionTokens: 0 });
  });

  it('runs concurrent requests one after the other, each in full', async () => {
    const order: string[] = [];
    const [chat, reasoning] = await Promise.all([
      collectAnswer(engine, { mode: 'chat', temperature: 0 }, (event) =>
        order.push(`chat:${event.type}`),
      ),
      collectAnswer(engine, { mode: 'reasoning', temperature: 0 }, (event) =>
        order.push(`reasoning:${event.type}`),
      ),
    ]);
    expect(chat.text).toBe(FIXTURE_REPLIES.sft);
    expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(order.indexOf('chat:done')).toBeLessThan(
      order.findIndex((entry) => entry.startsWith('reasoning:')),
    );
  });

  it('refuses a conversation that does not end with a question', async () => {
    const answer = await collectAnswer(engine, { mode: 'chat', messages: [] });
    expect(answer.error?.code).toBe('invalid-input');
    expect(terminalEvents(answer)).toEqual(['error']);
  });
});

describe('a mode without its adapter', () => {
  it('runs on the base model', async () => {
    const baseOnly = await createEngine({
      modelPath: fixturePaths.base,
      adapters: { grpo: fixturePaths.grpo },
      gpu: false,
      threads: 1,
      contextSize: 512,
    });
    try {
      const chat = await collectAnswer(baseOnly, { mode: 'chat', temperature: 0 });
      expect(chat.text).toBe(FIXTURE_REPLIES.base);
      expect(chat.stats?.adapter).toBe('base');
      const reasoning = await collectAnswer(baseOnly, { mode: 'reasoning', temperature: 0 });
      expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
    } finally {
      await baseOnly.dispose();
    }
    // Disposed: a late request gets a clear error, not a crash in freed native memory.
    const late = await collectAnswer(baseOnly, { mode: 'chat' });
    expect(late.error).toMatchObject({ code: 'internal', message: 'The model was unloaded.' });
    await baseOnly.dispose();
  });
});
