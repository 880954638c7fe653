import { describe, expect, it } from 'vitest';
import { bm25Scores } from './bm25';
import { searchTerms } from './search-terms';

describe('search terms', () => {
  it('keeps identifiers whole as well as their parts', () => {
    const terms = searchTerms('Set strict_timestamps and call os.makedirs on /etc/fstab');
    expect(terms).toEqual(
      expect.arrayContaining([
        'strict_timestamps',
        'strict',
        'timestamp',
        'os.makedirs',
        'makedir',
        '/etc/fstab'.slice(1),
        'fstab',
      ]),
    );
  });

  it('splits camelCase names into their words', () => {
    expect(searchTerms('init.defaultBranch')).toEqual(
      expect.arrayContaining(['init.defaultbranch', 'default', 'branch']),
    );
  });

  it('drops the words questions are made of and stems the rest', () => {
    expect(searchTerms('How does zip handle strict?')).toEqual(['zip', 'handl', 'strict']);
    expect(searchTerms('dataclasses')).toEqual(searchTerms('dataclass'));
  });

  it('meets "fastest" and "faster" in the adjective, without clipping words that merely end alike', () => {
    expect(searchTerms('fastest')).toEqual(searchTerms('faster'));
    expect(searchTerms('easiest biggest')).toEqual(searchTerms('easy big'));
    expect(searchTerms('request header')).toEqual(['request', 'header']);
  });

  it('finds the page that says TRUNCATE is faster for a question about the fastest way', () => {
    const [truncate, select] = bm25Scores('What is the fastest way to empty a table?', [
      'TRUNCATE removes all rows; since it does not scan the table it is faster than DELETE.',
      'A SELECT reads rows of a table in the order of its index.',
    ]);
    expect(truncate).toBeGreaterThan(select ?? 0);
  });

  it('matches a question about zip(strict=…) to the zip page, not to zipfile on "strict"', () => {
    const [zip, zipfile] = bm25Scores('what does zip(strict=True) do', [
      'zip(*iterables, strict=False): with strict=True, zip raises ValueError when lengths differ.',
      'zipfile.ZipFile: strict_timestamps makes the module reject timestamps before 1980.',
    ]);
    expect(zip).toBeGreaterThan(zipfile ?? 0);
  });

  it('gives a short snippet no boost for being short', () => {
    const filler = (i: number) =>
      `Paragraph ${i} is about coastal weather, rain, wind and sailing boats.`.repeat(3);
    const passages = Array.from({ length: 10 }, (_, i) => filler(i));
    const [terse] = bm25Scores('moon tides', ['Tides, moon.', ...passages]);
    const [wordier] = bm25Scores('moon tides', [
      'Tides and the moon, in a few more words here.',
      ...passages,
    ]);
    expect(terse).toBeCloseTo(wordier ?? 0, 10);
  });
});
