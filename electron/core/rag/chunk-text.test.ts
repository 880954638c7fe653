import { describe, expect, it } from 'vitest';
import { chunkText } from './chunk-text';

describe('chunkText', () => {
  it('splits long text at sentence ends into overlapping chunks with offsets', () => {
    const sentences = Array.from(
      { length: 40 },
      (_, i) => `Sentence number ${i} talks about tides and the moon.`,
    );
    const text = sentences.join(' ');
    const chunks = chunkText(text, { maxChars: 300, overlap: 60 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(300);
      expect(text.slice(chunk.offset, chunk.offset + chunk.text.length)).toBe(chunk.text);
    }
    // Every chunk but the last ends at a sentence end.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text.endsWith('.')).toBe(true);
    // Every sentence is whole in at least one chunk.
    for (const sentence of sentences)
      expect(chunks.some((c) => c.text.includes(sentence))).toBe(true);
  });

  it('returns one chunk for short text and none for blank text', () => {
    expect(chunkText('Short text.')).toEqual([{ text: 'Short text.', offset: 0 }]);
    expect(chunkText('   \n ')).toEqual([]);
  });
});
