import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgentMemory, openMemoryStore, type MemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

function conversationWithAnswer(store: MemoryStore): { conversationId: string; answerId: string } {
  const { id } = store.createConversation();
  store.addMessage({ conversationId: id, role: 'user', text: 'Name a prime.', mode: 'chat' });
  const answer = store.addMessage({
    conversationId: id,
    role: 'assistant',
    text: 'Seven.',
    mode: 'chat',
    adapter: 'sft',
  });
  return { conversationId: id, answerId: answer.id };
}

describe('ratings', () => {
  it('keeps a thumbs up or down on an answer, clears it, and refuses to rate a question', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const { conversationId, answerId } = conversationWithAnswer(store);
    expect(store.getMessage(answerId)?.rating).toBeUndefined();

    store.setRating(answerId, 1);
    expect(store.getMessage(answerId)?.rating).toBe(1);
    store.setRating(answerId, -1);
    expect(store.getMessage(answerId)?.rating).toBe(-1);
    store.setRating(answerId, null);
    expect(store.getMessage(answerId)?.rating).toBeUndefined();

    const question = store.listMessages(conversationId)[0];
    expect(() => store.setRating(question?.id ?? '', 1)).toThrow(/No answer/);
    expect(() => store.setRating('missing', 1)).toThrow(/No answer/);
    store.close();
  });

  it('exports the rating as `rating` and imports it back', async () => {
    const from = openMemoryStore({ path: join(tempDir(), 'from.db') });
    const { answerId } = conversationWithAnswer(from);
    from.setRating(answerId, -1);
    const exported = from.exportJson();
    expect(exported.conversations[0]?.messages[1]).toMatchObject({ id: answerId, rating: -1 });
    from.close();

    const to = openMemoryStore({ path: join(tempDir(), 'to.db') });
    await to.importJson(JSON.parse(JSON.stringify(exported)));
    expect(to.getMessage(answerId)?.rating).toBe(-1);
    to.close();
  });
});

describe('answer versions', () => {
  it('keeps earlier versions, feeds back only the one shown, and switches between them', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const { conversationId, answerId } = conversationWithAnswer(store);
    const second = store.addMessage({
      conversationId,
      role: 'assistant',
      text: 'Eleven.',
      mode: 'chat',
    });
    store.addAnswerVersion(answerId, second.id);
    const third = store.addMessage({
      conversationId,
      role: 'assistant',
      text: 'Two.',
      mode: 'chat',
    });
    store.addAnswerVersion(second.id, third.id);
    expect(store.getMessage(third.id)?.versionOf).toBe(answerId);
    store.selectAnswerVersion(second.id);

    const messages = store.listMessages(conversationId);
    expect(messages.map((m) => [m.text, m.superseded ?? false])).toEqual([
      ['Name a prime.', false],
      ['Seven.', true],
      ['Eleven.', false],
      ['Two.', true],
    ]);
    expect(await store.recentTurns(conversationId, {})).toEqual([
      { role: 'user', text: 'Name a prime.' },
      { role: 'assistant', text: 'Eleven.' },
    ]);

    store.selectAnswerVersion(answerId);
    expect(await store.recentTurns(conversationId, {})).toEqual([
      { role: 'user', text: 'Name a prime.' },
      { role: 'assistant', text: 'Seven.' },
    ]);
    store.close();
  });
});

describe('edit and resend', () => {
  it('asks the edited question again, keeping the earlier answer as a version', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const memory = createAgentMemory(store);
    const first = await memory.startTurn({
      conversationId: 'new',
      mode: 'chat',
      question: 'Name a prime.',
      adapter: 'sft',
      model: 'm',
    });
    first.append({ text: 'Seven.' });
    await first.finish({ status: 'complete' });

    const again = await memory.startTurn({
      conversationId: first.conversationId,
      mode: 'chat',
      question: 'Name an even prime.',
      regenerate: true,
      adapter: 'sft',
      model: 'm',
    });
    expect(again.question).toBe('Name an even prime.');
    again.append({ text: 'Two.' });
    await again.finish({ status: 'complete' });

    expect(store.getConversation(first.conversationId)?.title).toBe('Name an even prime.');
    expect(await store.recentTurns(first.conversationId, {})).toEqual([
      { role: 'user', text: 'Name an even prime.' },
      { role: 'assistant', text: 'Two.' },
    ]);
    expect(store.listMessages(first.conversationId)).toHaveLength(3);
    store.close();
  });
});
