import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createAgentMemory, openMemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();
const countTokens = async (text: string) => Math.ceil(text.length / 4);
const window = { maxTurns: 10, maxTokens: 1000, countTokens };

describe('createAgentMemory', () => {
  it('records a turn, feeds back earlier ones and saves the streamed answer', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const memory = createAgentMemory(store, { flushIntervalMs: 0 });

    const first = await memory.startTurn({
      mode: 'reasoning',
      question: 'Is 91 prime?',
      adapter: 'grpo',
      model: 'q.gguf',
    });
    expect(await first.history(window)).toEqual([]);
    first.append({ reasoning: '91 = 7 × 13' });
    first.append({ solution: 'No.' });
    expect(store.getMessage(first.assistantMessageId)).toMatchObject({
      status: 'streaming',
      solution: 'No.',
    });
    await first.finish({
      status: 'complete',
      stats: {
        promptTokens: 10,
        completionTokens: 5,
        timeToFirstTokenMs: 50,
        tokensPerSecond: 25,
        totalMs: 250,
        stopReason: 'eos',
        mode: 'reasoning',
        adapter: 'grpo',
      },
    });

    const second = await memory.startTurn({
      conversationId: first.conversationId,
      mode: 'chat',
      question: 'And 97?',
      adapter: 'sft',
      model: 'q.gguf',
    });
    expect(second.conversationId).toBe(first.conversationId);
    expect(await second.history(window)).toEqual([
      { role: 'user', text: 'Is 91 prime?' },
      { role: 'assistant', text: 'No.' },
    ]);
    second.setSources([]);
    await second.finish({
      status: 'cancelled',
      error: { code: 'cancelled', message: 'Cancelled.' },
    });

    expect(store.getConversation(first.conversationId)?.title).toBe('Is 91 prime?');
    expect(store.listMessages(first.conversationId).map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'cancelled'],
    ]);
    expect(store.getMessage(first.assistantMessageId)?.stats).toEqual({
      promptTokens: 10,
      completionTokens: 5,
      timeToFirstTokenMs: 50,
      tokensPerSecond: 25,
      totalMs: 250,
    });
    store.close();
  });

  it('regenerates the last question, keeping the earlier answer as a version', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const memory = createAgentMemory(store);
    const turn = await memory.startTurn({
      conversationId: 'new',
      mode: 'chat',
      question: 'Hello?',
      adapter: 'sft',
      model: 'm',
    });
    turn.append({ text: 'Hi.' });
    await turn.finish({ status: 'complete' });

    const again = await memory.startTurn({
      conversationId: turn.conversationId,
      mode: 'chat',
      question: '',
      regenerate: true,
      adapter: 'sft',
      model: 'm',
    });
    expect(again.question).toBe('Hello?');
    expect(await again.history(window)).toEqual([]);
    again.append({ text: 'Hello there.' });
    await again.finish({ status: 'complete' });
    expect(
      store.listMessages(turn.conversationId).map((m) => [m.text, m.superseded ?? false]),
    ).toEqual([
      ['Hello?', false],
      ['Hi.', true],
      ['Hello there.', false],
    ]);
    // What is fed back to the model is the version shown.
    expect(await store.recentTurns(turn.conversationId, {})).toEqual([
      { role: 'user', text: 'Hello?' },
      { role: 'assistant', text: 'Hello there.' },
    ]);
    store.close();
  });

  it('refuses an unknown conversation and a regenerate with nothing to regenerate', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const memory = createAgentMemory(store);
    await expect(
      memory.startTurn({
        conversationId: 'nope',
        mode: 'chat',
        question: 'hi',
        adapter: 'sft',
        model: 'm',
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    const empty = store.createConversation();
    await expect(
      memory.startTurn({
        conversationId: empty.id,
        mode: 'chat',
        question: '',
        regenerate: true,
        adapter: 'sft',
        model: 'm',
      }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    store.close();
  });
});

describe('createAgentMemory on a busy database', () => {
  it('keeps trying to save the finished answer while another program holds the lock', async () => {
    const path = join(tempDir(), 'ponder.db');
    const store = openMemoryStore({ path, busyTimeoutMs: 50 });
    const memory = createAgentMemory(store, { flushIntervalMs: 10_000 });
    const turn = await memory.startTurn({
      mode: 'chat',
      question: 'Hi',
      adapter: 'sft',
      model: 'm',
    });
    turn.append({ text: 'Hello, the whole answer.' });

    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const finishing = turn.finish({ status: 'complete' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    other.exec('COMMIT');
    await finishing;
    expect(store.getMessage(turn.assistantMessageId)).toMatchObject({
      status: 'complete',
      text: 'Hello, the whole answer.',
    });
    other.close();
    store.close();
  });
});
