import { describe, expect, it } from 'vitest';
import { bleuFromStatistics, corpusBleu, tokenize13a } from './corpus-bleu';
import { lcsLength, rougeL } from './rouge-l';

describe('ROUGE-L against the rouge-score test suite (rouge_scorer_test.py)', () => {
  it('testRougeLConsecutive: "testing one two" vs "testing one" → P 1, R 2/3, F 4/5', () => {
    const score = rougeL('testing one two', 'testing one');
    expect(score.precision).toBeCloseTo(1, 12);
    expect(score.recall).toBeCloseTo(2 / 3, 12);
    expect(score.fmeasure).toBeCloseTo(4 / 5, 12);
  });
  it('testRougeLNonConsecutive: "testing one two" vs "testing two" → P 1, R 2/3, F 4/5', () => {
    expect(rougeL('testing one two', 'testing two').fmeasure).toBeCloseTo(4 / 5, 12);
  });
  it('testRougeEmpty: an empty prediction scores 0', () => {
    expect(rougeL('testing one two', '')).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
  });
  it('testLcsTable: LCS of [1,2,3,4,5] and [2,5,3,4] is 3; of [1..5] and [8,9] is 0', () => {
    expect(lcsLength(['1', '2', '3', '4', '5'], ['2', '5', '3', '4'])).toBe(3);
    expect(lcsLength(['1', '2', '3', '4', '5'], ['8', '9'])).toBe(0);
  });
  it('Lin (2004), section 3.1: "police kill the gunman" scores 3/4 and "the gunman kill police" 1/2', () => {
    expect(rougeL('police killed the gunman', 'police kill the gunman').fmeasure).toBeCloseTo(
      0.75,
      12,
    );
    expect(rougeL('police killed the gunman', 'the gunman kill police').fmeasure).toBeCloseTo(
      0.5,
      12,
    );
  });
  it('tokenizes as rouge-score does: case and punctuation do not count', () => {
    expect(rougeL('The Cat, sat.', 'the cat sat').fmeasure).toBe(1);
  });
});

// sacreBLEU's README example and test/test_bleu.py.
const REFS = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const HYPS = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

describe('corpus BLEU against sacreBLEU’s published values', () => {
  it('README example: BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)', () => {
    const bleu = corpusBleu(HYPS, REFS);
    expect(Math.abs(bleu.score - 48.530827)).toBeLessThan(1e-6);
    expect(bleu.precisions.map((p) => p.toFixed(1))).toEqual(['82.4', '50.0', '45.5', '37.5']);
    expect(bleu.bp.toFixed(3)).toBe('0.943');
    expect([bleu.sysLen, bleu.refLen]).toEqual([17, 18]);
  });
  it('test_corpus_bleu: tokenize none → 49.1919566; smooth none → 48.530827; empty hypotheses → 0', () => {
    expect(Math.abs(corpusBleu(HYPS, REFS, { tokenize: 'none' }).score - 49.1919566)).toBeLessThan(
      1e-6,
    );
    expect(
      Math.abs(corpusBleu(HYPS, REFS, { smoothMethod: 'none' }).score - 48.530827),
    ).toBeLessThan(1e-6);
    expect(corpusBleu(['', '', ''], REFS).score).toBe(0);
  });
  it('test_raw_bleu: "this is a fest" vs "this is a test" with floor 0.01 → 0.223606797749979', () => {
    const raw = {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    } as const;
    expect(
      Math.abs(
        corpusBleu(['this is a fest'], [['this is a test']], raw).score / 100 - 0.223606797749979,
      ),
    ).toBeLessThan(1e-8);
    expect(corpusBleu(['this is a test'], [['this is a test']], raw).score / 100).toBeCloseTo(
      1,
      12,
    );
    expect(corpusBleu(['this is a test', 'another test'], [['ref1', 'ref2']], raw).score).toBe(0);
  });
  it('test_effective_order: "test" vs "a test" → 0.3678794411714425; "a little test" → 0.03218297948685433', () => {
    const raw = {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    } as const;
    expect(
      Math.abs(corpusBleu(['test'], [['a test']], raw).score / 100 - 0.3678794411714425),
    ).toBeLessThan(1e-8);
    expect(
      Math.abs(corpusBleu(['a little test'], [['a test']], raw).score / 100 - 0.03218297948685433),
    ).toBeLessThan(1e-8);
  });
  it('test_scoring: statistics [9,7,5,3]/[10,8,6,4], lengths 11/11 → 0.8375922397', () => {
    expect(
      Math.abs(bleuFromStatistics([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100 - 0.8375922397),
    ).toBeLessThan(1e-8);
  });
  it('test_statistics: counts [4,2,1,0] of totals [6,5,4,3]', () => {
    const stats = corpusBleu(
      ['am I am a character sequence'],
      [['I am a symbol string sequence a a']],
      { tokenize: 'none' },
    );
    expect(stats.counts).toEqual([4, 2, 1, 0]);
    expect(stats.totals).toEqual([6, 5, 4, 3]);
  });
  it('13a splits punctuation but keeps apostrophes, decimals and thousands together', () => {
    expect(tokenize13a('It wasn\'t 3.5 or 1,000 - "ok".')).toBe(
      'It wasn\'t 3.5 or 1,000 - " ok " .',
    );
  });
});
