import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMemoryStore, type MemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

function conversationWith(store: MemoryStore, turns: number): string {
  const { id } = store.createConversation();
  for (let i = 1; i <= turns; i += 1) {
    store.addMessage({ conversationId: id, role: 'user', text: `question ${i}` });
    store.addMessage({
      conversationId: id,
      role: 'assistant',
      mode: 'reasoning',
      text: '',
      reasoning: `secret thinking ${i}`,
      solution: `answer ${i}`,
    });
  }
  return id;
}

describe('recentTurns', () => {
  it('feeds back the last 10 turns, oldest first, with solutions and never the reasoning', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const id = conversationWith(store, 14);
    const window = await store.recentTurns(id, {});
    expect(window).toHaveLength(20);
    expect(window[0]).toEqual({ role: 'user', text: 'question 5' });
    expect(window[1]).toEqual({ role: 'assistant', text: 'answer 5' });
    expect(window.at(-1)).toEqual({ role: 'assistant', text: 'answer 14' });
    expect(window.some((message) => message.text.includes('secret'))).toBe(false);
    expect(await store.recentTurns(id, { maxTurns: 2 })).toEqual([
      { role: 'user', text: 'question 13' },
      { role: 'assistant', text: 'answer 13' },
      { role: 'user', text: 'question 14' },
      { role: 'assistant', text: 'answer 14' },
    ]);
    store.close();
  });

  it('drops whole turns, oldest first, until the tokens fit', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const id = conversationWith(store, 5);
    // One token per word: each turn ("question N" + "answer N") costs 4.
    const countTokens = async (text: string) => text.split(/\s+/).length;
    const fit = await store.recentTurns(id, { maxTokens: 11, countTokens });
    expect(fit.map((message) => message.text)).toEqual([
      'question 4',
      'answer 4',
      'question 5',
      'answer 5',
    ]);
    expect(await store.recentTurns(id, { maxTokens: 3, countTokens })).toEqual([]);
    expect(await store.recentTurns(id, { maxTokens: 1000, countTokens })).toHaveLength(10);
    store.close();
  });

  it('stops before the question being answered and skips failed or growing answers', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const { id } = store.createConversation();
    store.addMessage({ conversationId: id, role: 'user', text: 'first' });
    store.addMessage({
      conversationId: id,
      role: 'assistant',
      text: 'partial',
      status: 'error',
      error: { code: 'model-crashed', message: 'The model stopped.' },
    });
    store.addMessage({ conversationId: id, role: 'user', text: 'second' });
    store.addMessage({
      conversationId: id,
      role: 'assistant',
      text: 'cut short',
      status: 'cancelled',
    });
    const current = store.addMessage({ conversationId: id, role: 'user', text: 'third' });
    const growing = store.startStreamingMessage({
      conversationId: id,
      mode: 'chat',
      adapter: 'sft',
      model: 'm',
    });
    growing.append({ text: 'still writing' });
    growing.flush();

    expect(await store.recentTurns(id, { beforeMessageId: current.id })).toEqual([
      { role: 'user', text: 'first' },
      { role: 'user', text: 'second' },
      { role: 'assistant', text: 'cut short' },
    ]);
    expect((await store.recentTurns(id, {})).at(-1)).toEqual({ role: 'user', text: 'third' });
    store.close();
  });
});
