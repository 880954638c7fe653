import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMemoryStore, toFtsQuery } from './index';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();

function seeded() {
  const store = openMemoryStore({ path: join(tempDir(), 'ponder.db') });
  const rust = store.createConversation();
  store.addMessage({
    conversationId: rust.id,
    role: 'user',
    text: 'How does the Rust borrow checker work?',
  });
  const rustAnswer = store.addMessage({
    conversationId: rust.id,
    role: 'assistant',
    text: '',
    reasoning: 'The person asks about ownership rules in Rust.',
    solution: 'The borrow checker enforces that a borrow never outlives its owner.',
  });
  const other = store.createConversation();
  store.addMessage({
    conversationId: other.id,
    role: 'user',
    text: 'Best bread recipe for a beginner',
  });
  const thinking = store.addMessage({
    conversationId: other.id,
    role: 'assistant',
    text: '',
    reasoning:
      'Bread needs flour, water, salt; no borrow involved at all, unlike a long essay on many other topics.',
    solution: 'Start with a simple no-knead loaf.',
  });
  return { store, rust, rustAnswer, thinking };
}

describe('search', () => {
  it('ranks with bm25 and highlights matches in the snippet', () => {
    const { store, rust, rustAnswer, thinking } = seeded();
    const hits = store.search('borrow');
    expect(hits.map((hit) => hit.messageId)).toContain(rustAnswer.id);
    // A match only in the reasoning ranks below matches in questions and answers.
    expect(hits.at(-1)?.messageId).toBe(thinking.id);
    expect(hits[0]?.conversationId).toBe(rust.id);
    expect(hits[0]?.conversationTitle).toBe('How does the Rust borrow checker work?');

    const answerHit = hits.find((hit) => hit.messageId === rustAnswer.id);
    expect(answerHit?.snippet).toBe(
      'The **borrow** checker enforces that a **borrow** never outlives its owner.',
    );
    expect(answerHit?.parts.slice(0, 3)).toEqual([
      { text: 'The ', match: false },
      { text: 'borrow', match: true },
      { text: ' checker enforces that a ', match: false },
    ]);
    expect(hits.map((hit) => hit.rank)).toEqual(
      [...hits.map((hit) => hit.rank)].sort((a, b) => a - b),
    );
    store.close();
  });

  it('needs every word, matches prefixes with a trailing *, and can stay in one conversation', () => {
    const { store, rust } = seeded();
    expect(store.search('borrow owner')).toHaveLength(1);
    expect(store.search('own')).toEqual([]);
    expect(store.search('own*')).toHaveLength(1);
    expect(store.search('borrow', { conversationId: rust.id })).toHaveLength(2);
    expect(store.search('BREAD').length).toBe(2);
    store.close();
  });

  it('never throws on FTS syntax typed by a person', () => {
    const { store } = seeded();
    const hostile = [
      '"',
      '""',
      '"borrow',
      '*',
      '-',
      '- borrow',
      'borrow -checker',
      'rust:',
      'text:borrow',
      'OR',
      'borrow OR',
      'AND NOT NEAR',
      'NEAR(borrow checker)',
      '(',
      ')',
      '^borrow',
      'borrow +',
      '{text}: x',
      "'; DROP TABLE messages; --",
      '\u0000borrow',
      '🦀 borrow',
      '   ',
      '',
    ];
    for (const query of hostile) {
      expect(() => store.search(query), query).not.toThrow();
    }
    expect(store.search('"borrow').length).toBeGreaterThan(0);
    expect(store.search('borrow OR')).toEqual([]);
    expect(store.search('rust:').length).toBeGreaterThan(0);
    expect(store.listConversations()).toHaveLength(2);
    store.close();
  });

  it('quotes every word for FTS5', () => {
    expect(toFtsQuery('say "hi" OR bye*')).toBe('"say" """hi""" "OR" "bye"*');
    expect(toFtsQuery('- * :')).toBeUndefined();
  });
});
