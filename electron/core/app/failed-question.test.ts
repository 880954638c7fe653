import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../shared';
import type { AgentRequest } from '../agent';
import { createAgentMemory, openMemoryStore } from '../memory';
import { createPonderCore } from './create-ponder-core';
import type { PonderCore } from './ponder-core-types';

async function collect(core: PonderCore, request: AgentRequest): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of core.ask(request)) events.push(event);
  return events;
}

/** A Ponder whose model cannot load, on a real database in `dataDir`. */
const openCore = (dataDir: string, model?: string): Promise<PonderCore> =>
  createPonderCore({
    flags: { dataDir, ...(model ? { model } : {}) },
    env: {},
  });

describe('a question whose model cannot load', () => {
  let dataDir: string;
  let core: PonderCore | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponder-failed-question-'));
  });
  afterEach(async () => {
    await core?.dispose();
    core = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is saved before loading and kept with its error after a restart', async () => {
    core = await openCore(dataDir);
    const events = await collect(core, { mode: 'chat', text: 'Why is the sky blue?' });
    // The conversation is named before anything else, so the sidebar lists it at once.
    expect(events[0]?.type).toBe('conversation');
    const failed = events.find((event) => event.type === 'error');
    expect(failed?.type === 'error' && failed.error.code).toBe('model-missing');
    await core.dispose();

    core = await openCore(dataDir);
    const [listed] = core.conversations.list();
    expect(listed?.title).toBe('Why is the sky blue?');
    const detail = core.conversations.get(listed?.id ?? '');
    expect(detail.messages.map((m) => [m.role, m.status, m.text])).toEqual([
      ['user', 'complete', 'Why is the sky blue?'],
      ['assistant', 'error', ''],
    ]);
    expect(detail.messages[1]?.error?.code).toBe('model-missing');
    expect(detail.messages[1]?.error?.message).toBe(
      failed?.type === 'error' ? failed.error.message : '',
    );
  });

  it('names a model file that is gone, and asking again keeps one question', async () => {
    const gone = join(dataDir, 'models', 'gone.gguf');
    core = await openCore(dataDir, gone);
    const first = await collect(core, { mode: 'reasoning', text: 'Is 91 prime?' });
    const conversation = first.find((event) => event.type === 'conversation');
    const id = conversation?.type === 'conversation' ? conversation.id : '';
    expect(id).not.toBe('');
    await core.dispose();

    core = await openCore(dataDir, gone);
    const stored = core.conversations.get(id).messages;
    expect(stored[1]?.error?.message).toContain('gone.gguf');

    // Retry after the restart: the same question is answered again, not asked twice.
    const again = await collect(core, {
      mode: 'reasoning',
      text: '',
      conversationId: id,
      regenerate: true,
    });
    expect(again.some((event) => event.type === 'error')).toBe(true);
    const messages = core.conversations.get(id).messages;
    expect(messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['Is 91 prime?']);
    // The empty failure was replaced, not kept as an earlier version.
    expect(messages.filter((m) => m.role === 'assistant').map((m) => m.status)).toEqual(['error']);
    expect(messages[1]?.id).not.toBe(stored[1]?.id);
  });
});

describe('a turn started before the model loads', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponder-turn-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('records the adapter, the model and the mode Auto chose once they are known', async () => {
    const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
    const memory = createAgentMemory(store, { flushIntervalMs: 0 });
    const turn = await memory.startTurn({ mode: 'chat', question: 'Latest Node release?' });
    const [question, answer] = store.listMessages(turn.conversationId);
    expect(answer).toMatchObject({ status: 'streaming', adapter: null, model: null });

    turn.describe({ mode: 'search', adapter: 'sft', model: 'q.gguf' });
    await turn.finish({ status: 'complete' });
    expect(store.getMessage(question?.id ?? '')?.mode).toBe('search');
    expect(store.getMessage(turn.assistantMessageId)).toMatchObject({
      mode: 'search',
      adapter: 'sft',
      model: 'q.gguf',
      status: 'complete',
    });
    expect(store.latestQuestionModes().get(turn.conversationId)).toBe('search');
    await store.dispose();
  });

  it('keeps a failure that had written something as an earlier version when asked again', async () => {
    const store = openMemoryStore({ path: join(dataDir, 'ponder.db') });
    const memory = createAgentMemory(store, { flushIntervalMs: 0 });
    const first = await memory.startTurn({ mode: 'chat', question: 'Explain tides.' });
    first.describe({ mode: 'chat', adapter: 'sft', model: 'q.gguf' });
    first.append({ text: 'The moon pulls' });
    await first.finish({ status: 'error', error: { code: 'internal', message: 'It stopped.' } });
    const again = await memory.startTurn({
      conversationId: first.conversationId,
      mode: 'chat',
      question: '',
      regenerate: true,
    });
    await again.finish({ status: 'complete', final: { text: 'The moon pulls the sea.' } });
    const answers = store.listMessages(first.conversationId).filter((m) => m.role === 'assistant');
    expect(answers.map((m) => [m.text, m.superseded === true])).toEqual([
      ['The moon pulls', true],
      ['The moon pulls the sea.', false],
    ]);
    await store.dispose();
  });
});
