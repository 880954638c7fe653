import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMemoryStore, type MemoryStore } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

function fill(store: MemoryStore): string[] {
  const first = store.createConversation();
  store.addMessage({
    conversationId: first.id,
    role: 'user',
    text: 'What is 17 × 23?',
    mode: 'reasoning',
  });
  const answer = store.startStreamingMessage(
    { conversationId: first.id, mode: 'reasoning', adapter: 'grpo', model: 'qwen.gguf' },
    { flushIntervalMs: 0 },
  );
  answer.append({ reasoning: '17 × 20 = 340, 17 × 3 = 51.', solution: '391' });
  answer.finish({
    status: 'complete',
    stats: {
      promptTokens: 20,
      completionTokens: 14,
      timeToFirstTokenMs: 80.25,
      tokensPerSecond: 31.5,
      totalMs: 500,
    },
  });
  store.setPinned(first.id, true);

  const second = store.createConversation();
  store.addMessage({
    conversationId: second.id,
    role: 'user',
    text: 'Latest news on "Ponder"?',
    mode: 'search',
  });
  store.addMessage({
    conversationId: second.id,
    role: 'assistant',
    mode: 'search',
    adapter: 'grpo',
    model: 'qwen.gguf',
    text: '',
    solution: 'It keeps conversations durably [1].',
    sources: [
      {
        n: 1,
        title: 'Ponder [docs]',
        url: 'https://example.org/a b',
        domain: 'example.org',
        snippet: 's',
        score: 0.9,
        provider: 'duckduckgo',
      },
    ],
  });
  store.addMessage({
    conversationId: second.id,
    role: 'assistant',
    mode: 'chat',
    text: '',
    status: 'error',
    error: { code: 'model-crashed', message: 'The model stopped.', hint: 'Try again.' },
  });
  return [first.id, second.id];
}

describe('export and import', () => {
  it('round-trips every conversation exactly through JSON', async () => {
    const source = openMemoryStore({ path: join(tempDir(), 'a.db') });
    const ids = fill(source);
    const exported = source.exportJson();
    expect(exported).toMatchObject({ format: 'ponder-conversations', version: 1 });
    expect(exported.conversations.map((c) => c.id)).toEqual(ids);

    const target = openMemoryStore({ path: join(tempDir(), 'b.db') });
    const result = await target.importJson(JSON.parse(JSON.stringify(exported)));
    expect(result.imported.map((c) => c.id)).toEqual(ids);
    expect(result.skipped).toEqual([]);

    const again = target.exportJson();
    expect({ ...again, exportedAt: '' }).toEqual({ ...exported, exportedAt: '' });
    for (const id of ids) {
      expect(target.getConversation(id)).toEqual(source.getConversation(id));
      expect(target.listMessages(id)).toEqual(source.listMessages(id));
    }
    expect(target.listConversations()).toEqual(source.listConversations());
    expect(target.search('391').map((hit) => hit.messageId)).toEqual(
      source.search('391').map((hit) => hit.messageId),
    );
    source.close();
    target.close();
  });

  it('exports one conversation, and skips or refuses duplicates with a clear reason', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    const [first] = fill(store);
    const one = store.exportJson([first ?? '']);
    expect(one.conversations).toHaveLength(1);
    expect(() => store.exportJson(['missing'])).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    );

    const skipped = await store.importJson(one);
    expect(skipped.imported).toEqual([]);
    expect(skipped.skipped).toEqual([
      {
        id: first,
        title: 'What is 17 × 23?',
        reason: 'a conversation with this id is already in the database',
      },
    ]);
    await expect(store.importJson(one, { onDuplicate: 'fail' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/already in the database/),
    });
    store.close();
  });

  it('refuses files that are not Ponder exports, importing nothing', async () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    await expect(store.importJson({ hello: 'world' })).rejects.toMatchObject({
      code: 'invalid-input',
    });
    await expect(
      store.importJson({ format: 'ponder-conversations', version: 99, conversations: [] }),
    ).rejects.toThrow(/newer Ponder/);
    const good = { format: 'ponder-conversations', version: 1, exportedAt: '', conversations: [] };
    const bad = {
      ...good,
      conversations: [
        {
          id: 'x',
          title: 't',
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          pinned: false,
          messages: [{ id: 'y' }],
        },
      ],
    };
    await expect(store.importJson(bad)).rejects.toThrow(/conversations\.0\.messages\.0/);
    expect(store.listConversations()).toEqual([]);
    store.close();
  });

  it('writes a readable Markdown transcript with folded reasoning and sources', () => {
    const store = openMemoryStore({ path: join(tempDir(), 'a.db') });
    const [first, second] = fill(store);
    const markdown = store.exportMarkdown([first ?? '', second ?? '']);
    expect(markdown).toContain('# What is 17 × 23?');
    expect(markdown).toContain('## You\n');
    expect(markdown).toContain('## Ponder (Deep Reasoning)');
    expect(markdown).toContain(
      '<details><summary>Reasoning</summary>\n\n17 × 20 = 340, 17 × 3 = 51.\n\n</details>',
    );
    expect(markdown).toContain('\n391\n');
    expect(markdown).toContain('1. [Ponder \\[docs\\]](<https://example.org/a b>)');
    expect(markdown).toContain('> Error: The model stopped.');
    expect(markdown.split('\n---\n')).toHaveLength(2);
    store.close();
  });
});
