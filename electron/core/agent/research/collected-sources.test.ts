import { describe, expect, it } from 'vitest';
import type { Source, SourcePassage } from '../../../shared';
import { CollectedSources, passagesOf } from './collected-sources';

const passage = (text: string, rank = 0, offset = 0): SourcePassage => ({
  text,
  section: '',
  offset,
  rank,
});

const source = (n: number, url: string): Source => ({
  n,
  title: `Page ${url}`,
  url,
  domain: 'example.org',
  snippet: 'snippet',
  score: 1,
  provider: 'searxng',
});

describe('sources collected across rounds', () => {
  it('number each page once, in the order found, and merge the passages of a page found again', () => {
    const collected = new CollectedSources();
    const first = [source(1, 'https://a.example/'), source(2, 'https://b.example/')];
    collected.add(
      first,
      new Map([
        [1, [passage('alpha text')]],
        [2, [passage('beta text')]],
      ]),
      10,
    );
    const second = [source(1, 'https://c.example/'), source(2, 'https://a.example/')];
    expect(
      collected.add(
        second,
        new Map([
          [1, [passage('gamma text')]],
          [2, [passage('more alpha', 1, 500)]],
        ]),
        10,
      ),
    ).toBe(1);
    expect(collected.sources().map((s) => [s.n, s.url])).toEqual([
      [1, 'https://a.example/'],
      [2, 'https://b.example/'],
      [3, 'https://c.example/'],
    ]);
    expect(collected.sources()[0]?.passages?.map((p) => p.text)).toEqual([
      'alpha text',
      'more alpha',
    ]);
  });

  it('keep within the page budget and the prompt within its characters', () => {
    const collected = new CollectedSources();
    const many = Array.from({ length: 5 }, (_, i) => source(i + 1, `https://p${i}.example/`));
    const long = new Map(many.map((s) => [s.n, [passage('x'.repeat(5_000))]]));
    expect(collected.add(many, long, 3)).toBe(3);
    const { text } = collected.fenced(true, 3_000);
    expect(text.length).toBeLessThan(3_000 + 3 * 200);
  });

  it('give the prompt the best passages of every search in turn, so a later round is not crowded out', () => {
    const collected = new CollectedSources();
    // Round 1: five pages, three long passages each, ranked 0–14 across the search.
    const roundOne = Array.from({ length: 5 }, (_, i) => source(i + 1, `https://p${i}.example/`));
    collected.add(
      roundOne,
      new Map(
        roundOne.map((s, i) => [
          s.n,
          [0, 1, 2].map((k) =>
            passage(`page ${i} passage ${k} ${'r'.repeat(900)}`, i + 5 * k, k * 1_000),
          ),
        ]),
      ),
      10,
    );
    // Round 2: a new page whose best passage, holding the second fact, comes late in the page.
    collected.add(
      [source(1, 'https://two.example/')],
      new Map([
        [
          1,
          [
            passage(`a weaker passage ${'w'.repeat(1_500)}`, 3, 100),
            passage('the second fact', 0, 5_000),
          ],
        ],
      ]),
      10,
    );
    const { text } = collected.fenced(true, 6_000);
    expect(text).toContain('the second fact');
    expect(text).toContain('page 0 passage 0');
    expect(text).not.toContain('page 4 passage 2');
    // A source's passages stand in page order, whatever their rank.
    const all = collected.fenced(true, 50_000).text;
    expect(all.indexOf('a weaker passage')).toBeLessThan(all.indexOf('the second fact'));
  });

  it('fence sources under a random tag, without any address from page text', () => {
    const collected = new CollectedSources();
    collected.add(
      [source(1, 'https://a.example/')],
      new Map([[1, [passage('see https://evil.example/x and www.evil.example')]]]),
      5,
    );
    const forAnalysis = collected.fenced(false);
    expect(forAnalysis.text).not.toContain('evil.example');
    expect(forAnalysis.text).not.toContain('https://a.example/');
    expect(forAnalysis.text).toMatch(new RegExp(`^<<<SOURCE 1 ${forAnalysis.fence}>>>`));
    expect(collected.fenced(true).text).toContain('url: https://a.example/');
  });

  it('read a search’s passages from its sources, or from its fenced prompt when they carry none', () => {
    const prompt =
      '<<<SOURCE 1 abc123>>>\nurl: https://a.example/\ntitle: A\nbody of A\n<<<END SOURCE 1 abc123>>>';
    expect(
      passagesOf([source(1, 'https://a.example/')], prompt)
        .get(1)
        ?.map((p) => p.text),
    ).toEqual(['body of A']);
    const withPassages = {
      ...source(1, 'https://a.example/'),
      passages: [{ text: 'p', section: '', offset: 0 }],
    };
    expect(
      passagesOf([withPassages], prompt)
        .get(1)
        ?.map((p) => p.text),
    ).toEqual(['p']);
  });
});
