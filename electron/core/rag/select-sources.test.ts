import { describe, expect, it } from 'vitest';
import { selectSources, type PassageCandidate } from './select-sources';

const result = (n: number) => ({
  title: `Page ${n}`,
  url: `https://example.com/${n}`,
  snippet: `Snippet ${n}`,
  rank: n,
  provider: 'test',
});

/** Page n's passages at offsets 0, 100, 200… with 20 characters of overlap between neighbours. */
function candidatesFor(pages: number, perPage: number): PassageCandidate[] {
  const candidates: PassageCandidate[] = [];
  for (let n = 1; n <= pages; n++) {
    for (let i = 0; i < perPage; i++) {
      const text = `${String.fromCharCode(97 + i).repeat(100)}${'z'.repeat(20)}`.slice(0, 120);
      candidates.push({
        result: result(n),
        passage: { text, section: `Page ${n} › S`, offset: i * 100 },
        rank: { heading: `Page ${n}`, text },
      });
    }
  }
  return candidates;
}

const options = { topK: 2, passageCount: 4, perSource: 3, maxChars: 10_000 };

describe('choosing the sources from ranked passages', () => {
  it('numbers sources by their best passage and keeps each source to its passage limit', () => {
    const candidates = candidatesFor(3, 5);
    // Best first: page 2's third passage, then page 1's, then more of page 2.
    const ranked = [7, 0, 5, 9, 6, 12].map((index, i) => ({ index, score: 1 - i / 10 }));
    const sources = selectSources(candidates, ranked, options);
    expect(sources.map((s) => s.source.url)).toEqual([
      'https://example.com/2',
      'https://example.com/1',
    ]);
    expect(sources[0]?.source.n).toBe(1);
    expect(sources.flatMap((s) => s.source.passages ?? []).length).toBeLessThanOrEqual(4);
    // Page 3 is never a source: two pages are the limit.
    expect(sources.some((s) => s.source.url.endsWith('/3'))).toBe(false);
  });

  it('adds the passages next to the best ones and joins neighbours into one continuous passage', () => {
    const candidates = candidatesFor(1, 5);
    const sources = selectSources(candidates, [{ index: 2, score: 1 }], {
      ...options,
      passageCount: 3,
    });
    const passages = sources[0]?.source.passages ?? [];
    // Passages 1, 2 and 3 overlap their neighbours, so they arrive as one, in page order.
    expect(passages).toHaveLength(1);
    expect(passages[0]?.offset).toBe(100);
    expect(sources[0]?.passages).toEqual(passages.map((p) => p.text));
  });

  it('keeps within the character budget', () => {
    const candidates = candidatesFor(2, 5);
    const ranked = candidates.map((_, index) => ({ index, score: 1 }));
    const sources = selectSources(candidates, ranked, {
      ...options,
      passageCount: 10,
      maxChars: 250,
    });
    const chars = sources
      .flatMap((s) => s.source.passages ?? [])
      .reduce((n, p) => n + p.text.length, 0);
    expect(chars).toBeLessThanOrEqual(250);
  });
});
