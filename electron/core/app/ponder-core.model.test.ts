import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../models/fixtures';
import type { AnswerEvent } from '../../shared';
import type { AgentRequest } from '../agent';
import { createPonderCore } from './create-ponder-core';
import type { PonderCore } from './ponder-core-types';

async function collect(core: PonderCore, request: AgentRequest): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of core.ask(request)) events.push(event);
  return events;
}

const textOf = (events: AnswerEvent[], type: 'reasoning' | 'solution' | 'text') =>
  events.flatMap((event) => (event.type === type ? [event.text] : [])).join('');

describe('PonderCore with the fixture model and a real database', () => {
  let dataDir: string;
  let core: PonderCore;

  beforeAll(async () => {
    await ensureFixtures();
    dataDir = mkdtempSync(join(tmpdir(), 'ponder-core-'));
    core = await createPonderCore({
      flags: {
        dataDir,
        model: fixturePaths.base,
        sft: fixturePaths.sft,
        grpo: fixturePaths.grpo,
        threads: 1,
        contextSize: 512,
        // Nothing listens on port 9: Search must fail fast and still answer.
        searchProvider: 'searxng',
        searxngUrl: 'http://127.0.0.1:9',
      },
      env: {},
    });
  });

  afterAll(async () => {
    await core?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers each mode with its adapter and keeps the conversation', async () => {
    const chat = await collect(core, { mode: 'chat', text: 'What is 2+2?' });
    // The first question loads the model and says how far it got before the answer starts.
    const loading = chat.flatMap((event) =>
      event.type === 'model-loading' ? [event.progress] : [],
    );
    expect(loading[0]).toBe(0);
    expect(loading.at(-1)).toBe(1);
    expect(chat.findLastIndex((event) => event.type === 'model-loading')).toBeLessThan(
      chat.findIndex((event) => event.type === 'text'),
    );
    const conversation = chat.find((event) => event.type === 'conversation');
    expect(conversation).toBeDefined();
    expect(textOf(chat, 'text').trim()).toBe(FIXTURE_REPLIES.sft);
    const conversationId = conversation?.type === 'conversation' ? conversation.id : '';

    const reasoning = await collect(core, {
      mode: 'reasoning',
      text: 'And 2+2 again?',
      conversationId,
    });
    expect(textOf(reasoning, 'reasoning').trim()).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(textOf(reasoning, 'solution').trim()).toBe(FIXTURE_GRPO_PARTS.solution);

    const firstDone = chat.find((event) => event.type === 'done');
    const secondDone = reasoning.find((event) => event.type === 'done');
    // The second turn carries the first one as history, so its prompt is longer.
    expect(secondDone?.type === 'done' && firstDone?.type === 'done').toBe(true);
    if (secondDone?.type === 'done' && firstDone?.type === 'done') {
      expect(secondDone.stats.promptTokens).toBeGreaterThan(firstDone.stats.promptTokens);
      expect(secondDone.stats.adapter).toBe('grpo');
    }

    const saved = core.conversations.get(conversationId);
    expect(saved.title).toBe('What is 2+2?');
    expect(saved.messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(saved.messages[3]?.solution.trim()).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(core.conversations.search('again').map((hit) => hit.conversationId)).toContain(
      conversationId,
    );
  });

  it('says Search failed and still answers when the provider is down', async () => {
    const events = await collect(core, { mode: 'search', text: 'Who built the tower?' });
    const notice = events.find((event) => event.type === 'notice');
    expect(notice?.type === 'notice' && notice.text).toMatch(/Search failed/);
    expect(textOf(events, 'solution').trim()).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('regenerates the last answer, keeping the earlier one as a version', async () => {
    const first = await collect(core, { mode: 'chat', text: 'Once more?' });
    const id = first.find((event) => event.type === 'conversation');
    const conversationId = id?.type === 'conversation' ? id.id : '';
    await collect(core, { mode: 'reasoning', text: '', conversationId, regenerate: true });
    const messages = core.conversations.get(conversationId).messages;
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'assistant']);
    expect(messages[1]?.text.trim()).toBe(FIXTURE_REPLIES.sft);
    expect(messages[2]).toMatchObject({ mode: 'reasoning', versionOf: messages[1]?.id });
    expect(messages[2]?.solution.trim()).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('saves a cancelled answer as cancelled and answers the next question', async () => {
    const controller = new AbortController();
    controller.abort();
    const cancelled = await collect(core, {
      mode: 'chat',
      text: 'Stop me',
      signal: controller.signal,
    });
    const last = cancelled.at(-1);
    expect(
      last?.type === 'done' ? last.stats.stopReason : last?.type === 'error' && last.error.code,
    ).toMatch(/cancelled/);
    const id = cancelled.find((event) => event.type === 'conversation');
    const conversationId = id?.type === 'conversation' ? id.id : '';
    expect(core.conversations.get(conversationId).messages[1]?.status).toBe('cancelled');

    const next = await collect(core, { mode: 'chat', text: 'Still there?' });
    expect(textOf(next, 'text').trim()).toBe(FIXTURE_REPLIES.sft);
  });

  it('refuses an empty or oversized question with a clear error', async () => {
    const empty = await collect(core, { mode: 'chat', text: '   ' });
    expect(empty).toEqual([
      {
        type: 'error',
        error: {
          code: 'invalid-input',
          message: 'The question is empty.',
          hint: 'Type a question first.',
        },
      },
    ]);
    const huge = await collect(core, { mode: 'chat', text: 'x'.repeat(40_000) });
    expect(huge.at(-1)?.type === 'error' && huge.at(-1)).toMatchObject({
      error: { code: 'invalid-input' },
    });
  });

  it('answers with caller-given history without touching memory', async () => {
    const before = core.conversations.list().length;
    const promptTokens = async (
      history: AgentRequest['history'],
      replaceSystemPrompt = false,
    ): Promise<number> => {
      const events = await collect(core, {
        mode: 'chat',
        text: 'Hi?',
        replaceSystemPrompt,
        ...(history ? { history } : {}),
      });
      // A loaded model answers at once: no loading progress.
      expect(events.some((event) => event.type === 'model-loading')).toBe(false);
      expect(events.some((event) => event.type === 'conversation')).toBe(false);
      expect(textOf(events, 'text').trim()).toBe(FIXTURE_REPLIES.sft);
      const done = events.at(-1);
      if (done?.type !== 'done') throw new Error('no done event');
      return done.stats.promptTokens;
    };
    const alone = await promptTokens([]);
    const earlierTurns = await promptTokens([
      { role: 'user', text: 'Earlier question about numbers' },
      { role: 'assistant', text: 'Earlier answer about numbers' },
    ]);
    // A caller's system message is added to the mode's prompt; replacing it takes asking.
    const ownSystem = await promptTokens([{ role: 'system', text: 'Be brief.' }]);
    const replaced = await promptTokens([{ role: 'system', text: 'Be brief.' }], true);
    expect(earlierTurns).toBeGreaterThan(alone);
    expect(ownSystem).toBeGreaterThan(alone);
    expect(replaced).toBeLessThan(alone);
    expect(core.conversations.list()).toHaveLength(before);
  });

  it('reports health with the loaded model', async () => {
    const health = await core.health();
    expect(health.status).toBe('ready');
    expect(health.model?.architecture).toBe('qwen2');
    expect(health.model).toMatchObject({ threads: 1, threadReason: '1 as configured.' });
    expect(health.modes).toEqual([
      { mode: 'chat', adapter: 'sft', adapterStatus: 'ready' },
      { mode: 'reasoning', adapter: 'grpo', adapterStatus: 'ready' },
      { mode: 'search', adapter: 'grpo', adapterStatus: 'ready' },
    ]);
  });
});

describe('PonderCore checking its model at start', () => {
  const started: PonderCore[] = [];
  const dirs: string[] = [];
  const start = async (flags: Record<string, unknown>): Promise<PonderCore> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-core-check-'));
    dirs.push(dataDir);
    const core = await createPonderCore({ flags: { dataDir, threads: 1, ...flags }, env: {} });
    started.push(core);
    return core;
  };
  afterAll(async () => {
    for (const core of started) await core.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a model that is not a GGUF model at once, and health says why', async () => {
    const core = await start({ model: fixturePaths.broken.notGguf });
    await expect(core.checkModel()).rejects.toMatchObject({ code: 'model-invalid' });
    const health = await core.health();
    expect(health.status).toBe('error');
    expect(health.error?.code).toBe('model-invalid');
  });

  it('reports a mismatched adapter for its modes, loads, and becomes ready', async () => {
    const core = await start({ model: fixturePaths.base, sft: fixturePaths.adapterOtherArch });
    await core.checkModel();
    const loading = await core.health();
    expect(['loading', 'ready']).toContain(loading.status);
    expect(loading.modes[0]).toMatchObject({
      mode: 'chat',
      adapter: 'base',
      adapterStatus: 'error',
      error: { code: 'adapter-mismatch' },
    });
    expect(loading.modes[1]).toEqual({
      mode: 'reasoning',
      adapter: 'base',
      adapterStatus: 'not-configured',
    });
    // The load started by the check ends ready; asking waits for it instead of loading again.
    const events = await collect(core, { mode: 'reasoning', text: 'Hi?' });
    expect(events.at(-1)?.type).toBe('done');
    expect((await core.health()).status).toBe('ready');
  });
});

describe('PonderCore without a model', () => {
  it('tells the person how to get one instead of failing obscurely', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ponder-core-empty-'));
    const core = await createPonderCore({ flags: { dataDir }, env: {} });
    try {
      expect((await core.health()).status).toBe('no-model');
      const events = await collect(core, { mode: 'chat', text: 'Hello?' });
      const last = events.at(-1);
      expect(last?.type).toBe('error');
      if (last?.type === 'error') {
        expect(last.error.code).toBe('model-missing');
        expect(last.error.hint).toMatch(/ponder models download/);
      }
    } finally {
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
