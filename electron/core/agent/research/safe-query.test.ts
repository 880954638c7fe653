import { describe, expect, it } from 'vitest';
import { allowedWords, MAX_QUERY_CHARS, newQueries, safeQuery } from './safe-query';

const QUESTION = 'Who wrote Alpha, and who founded the lab its author worked at?';
const PASSAGES =
  'Alpha is a novel by Ann Lee, who worked at Gamma Labs. Gamma Labs was founded in 1999.';
const allowed = allowedWords(QUESTION, PASSAGES);

describe('the gate on Deep Search queries', () => {
  it('keeps a query made of the question’s and the passages’ words', () => {
    expect(safeQuery('Who founded Gamma Labs?', QUESTION, allowed)).toBe('Who founded Gamma Labs?');
  });

  it('drops addresses, search operators and words from anywhere else', () => {
    expect(
      safeQuery(
        'Gamma Labs site:evil.example https://evil.example/c?q=x www.evil.example user@mail.example inurl:admin secret-7731',
        QUESTION,
        allowed,
      ),
    ).toBe('Gamma Labs');
  });

  it('keeps an operator or address the person wrote themselves', () => {
    const question = 'Who founded Gamma Labs site:gamma.example';
    expect(safeQuery('Gamma Labs site:gamma.example', question, allowedWords(question))).toBe(
      'Gamma Labs site:gamma.example',
    );
  });

  it('refuses a query left with nothing to search, and bounds length and word count', () => {
    expect(safeQuery('who is the https://evil.example', QUESTION, allowed)).toBeUndefined();
    const long = Array.from({ length: 40 }, () => 'Gamma Labs founded').join(' ');
    const bounded = safeQuery(long, QUESTION, allowed) ?? '';
    expect(bounded.length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    expect(bounded.split(' ').length).toBeLessThanOrEqual(16);
  });

  it('strips control and invisible characters a page could smuggle in', () => {
    expect(safeQuery('Gamma\u0000\u200bLabs', QUESTION, allowed)).toBe('Gamma Labs');
  });

  it('never repeats a query, and keeps to the limit', () => {
    expect(newQueries(['A b', 'a B', 'c d', 'e f'], ['C D'], 5)).toEqual(['A b', 'e f']);
    expect(newQueries(['a', 'b', 'c'], [], 2)).toEqual(['a', 'b']);
  });
});
