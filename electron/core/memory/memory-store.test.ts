import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, openMemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

describe('openMemoryStore', () => {
  it('commits durably: WAL, synchronous=FULL, foreign keys (SECURITY #19)', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'nested', 'ponder.db') });
    expect(store.connectionSettings()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: true,
      busyTimeoutMs: 3000,
    });
    expect(store.migration).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION, backupPath: undefined });
    store.close();
  });

  it('keeps conversations and messages across restarts', () => {
    const path = join(tempDir(), 'ponder.db');
    const first = openMemoryStore({ path });
    const conversation = first.createConversation();
    first.addMessage({
      conversationId: conversation.id,
      role: 'user',
      text: 'Why is the sky blue?',
    });
    first.close();

    const second = openMemoryStore({ path });
    expect(second.listConversations()).toMatchObject([
      { id: conversation.id, title: 'Why is the sky blue?', messageCount: 1 },
    ]);
    second.close();
  });

  it('marks answers left streaming by a crash as interrupted on the next open', () => {
    const path = join(tempDir(), 'ponder.db');
    const first = openMemoryStore({ path });
    const conversation = first.createConversation();
    const writer = first.startStreamingMessage(
      { conversationId: conversation.id, mode: 'chat', adapter: 'sft', model: 'm.gguf' },
      { flushIntervalMs: 0 },
    );
    writer.append({ text: 'Half an ans' });
    // No finish: the process "dies" with the answer still streaming.
    first.close();

    const second = openMemoryStore({ path });
    expect(second.interruptedAtOpen).toBe(1);
    expect(second.getMessage(writer.messageId)).toMatchObject({
      status: 'interrupted',
      text: 'Half an ans',
    });
    second.close();
  });
});

describe('conversations', () => {
  it('titles a conversation from its first question, trimmed to about 60 characters', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const conversation = store.createConversation();
    const question =
      '  How do   I compute the eigenvalues of a 3x3 matrix by hand, step by step, with an example?';
    store.addMessage({ conversationId: conversation.id, role: 'user', text: question });
    store.addMessage({ conversationId: conversation.id, role: 'user', text: 'A later question' });
    const title = store.getConversation(conversation.id)?.title ?? '';
    expect(title).toBe('How do I compute the eigenvalues of a 3x3 matrix by hand…');
    expect(title.length).toBeLessThanOrEqual(60);
    store.close();
  });

  it('lists pinned first, then the most recently active; renames and deletes', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const a = store.createConversation({ title: 'a' });
    const b = store.createConversation({ title: 'b' });
    const c = store.createConversation({ title: 'c' });
    const later = Date.now() + 10;
    while (Date.now() < later) {
      // Let the clock move so activity orders the list.
    }
    store.addMessage({ conversationId: a.id, role: 'user', text: 'newest activity' });
    store.setPinned(c.id, true);
    expect(store.listConversations().map((x) => x.title)).toEqual(['c', 'a', 'b']);

    store.renameConversation(b.id, '  Renamed   title ');
    expect(store.getConversation(b.id)?.title).toBe('Renamed title');
    expect(() => store.renameConversation(b.id, '   ')).toThrow(/cannot be empty/);

    expect(store.search('newest activity')).toHaveLength(1);
    store.deleteConversation(a.id);
    expect(store.listMessages(a.id)).toEqual([]);
    expect(store.search('newest activity')).toEqual([]);
    expect(() => store.deleteConversation(a.id)).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    expect(store.deleteAllConversations()).toBe(2);
    expect(store.listConversations()).toEqual([]);
    store.close();
  });

  it('refuses a message for a conversation that does not exist', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    expect(() => store.addMessage({ conversationId: 'nope', role: 'user', text: 'hi' })).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );
    store.close();
  });

  it('gives every conversation and message a unique id', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
    const ids = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const conversation = store.createConversation();
      ids.add(conversation.id);
      ids.add(
        store.addMessage({ conversationId: conversation.id, role: 'user', text: `q${i}` }).id,
      );
    }
    expect(ids.size).toBe(40);
    store.close();
  });

  it('keeps settings as JSON values', () => {
    const path = join(tempDir(), 'ponder.db');
    const store = openMemoryStore({ path });
    store.setSetting('window', { width: 900, pinned: ['x'] });
    store.setSetting('window', { width: 1000 });
    store.close();
    const again = openMemoryStore({ path });
    expect(again.getSetting('window')).toEqual({ width: 1000 });
    expect(again.getSetting('missing')).toBeUndefined();
    again.close();
  });
});

describe('streaming answers', () => {
  it('batches growing text into few commits and reports what is on disk', async () => {
    const path = join(tempDir(), 'ponder.db');
    const store = openMemoryStore({ path });
    const conversation = store.createConversation();
    const flushes: number[] = [];
    const writer = store.startStreamingMessage(
      { conversationId: conversation.id, mode: 'reasoning', adapter: 'grpo', model: 'm.gguf' },
      { flushIntervalMs: 50, onFlush: (ack) => flushes.push(ack.reasoning) },
    );
    const reader = new Database(path, { readonly: true });
    const onDisk = () =>
      reader.prepare('SELECT reasoning FROM messages WHERE id = ?').pluck().get(writer.messageId);

    for (let i = 0; i < 200; i += 1) writer.append({ reasoning: 'x' });
    // Nothing is committed yet: it waits for the interval.
    expect(onDisk()).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(onDisk()).toBe('x'.repeat(200));
    expect(writer.acknowledged().reasoning).toBe(200);

    writer.append({ solution: 'Done.' });
    writer.finish({ status: 'complete', stats: { completionTokens: 201, tokensPerSecond: 40 } });
    expect(flushes.length).toBeLessThan(5);
    expect(store.getMessage(writer.messageId)).toMatchObject({
      status: 'complete',
      reasoning: 'x'.repeat(200),
      solution: 'Done.',
      stats: { completionTokens: 201, tokensPerSecond: 40, promptTokens: null },
    });
    expect(() => writer.append({ text: 'late' })).toThrow(/already saved/);
    reader.close();
    store.close();
  });
});
