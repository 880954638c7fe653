import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankingCandidates, RANKING_QUERY } from '../testing/ranking-corpus';
import { buildTestEmbeddingModel, wordsOf } from '../testing/test-embedding-model';
import { cosine, Embedder } from './embedder';
import { rankPassages, type RankablePassage } from './rank-passages';

let dir: string;
let embedder: Embedder;
const { texts, relevant } = rankingCandidates();
const passages = (list: string[]): RankablePassage[] => list.map((text) => ({ heading: '', text }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ponder-rank-'));
  const modelDir = await buildTestEmbeddingModel(join(dir, 'bow-model'), {
    words: wordsOf(RANKING_QUERY, ...texts, 'how to fix a broken car engine'),
    synonyms: [
      ['automobile', 'car'],
      ['repair', 'fix'],
    ],
  });
  embedder = new Embedder({ modelDir, dataDir: join(dir, 'data') });
});

afterAll(async () => {
  await embedder.dispose();
  await rm(dir, { recursive: true, force: true });
});

const top = (ranked: { index: number }[], k: number) =>
  ranked
    .slice(0, k)
    .map((r) => r.index)
    .sort((a, b) => a - b);

describe('ranking 20 candidates', () => {
  it('picks the five relevant passages with embeddings fused with BM25', async () => {
    const outcome = await rankPassages(RANKING_QUERY, passages(texts), { embedder });
    expect(outcome.method).toBe('embedding+bm25');
    expect(outcome.note).toBeUndefined();
    expect(top(outcome.ranked, 5)).toEqual(relevant);
    expect(outcome.ranked).toHaveLength(20);
  });

  it('picks the same five with BM25 alone, and says why it fell back', async () => {
    const outcome = await rankPassages(RANKING_QUERY, passages(texts));
    expect(outcome.method).toBe('bm25');
    expect(outcome.note).toMatch(/BM25/);
    expect(top(outcome.ranked, 5)).toEqual(relevant);
  });

  it('finds a passage by meaning when it shares no word with the question', async () => {
    const candidates = [
      'the stock market fell today',
      'how to fix a broken car engine',
      'honey mustard dressing',
    ];
    const keywords = await rankPassages('automobile repair', passages(candidates));
    const meaning = await rankPassages('automobile repair', passages(candidates), { embedder });
    expect(keywords.ranked.every((r) => r.score === 0)).toBe(true);
    expect(meaning.ranked[0]?.index).toBe(1);
    expect(meaning.ranked[0]?.score).toBeGreaterThan(0.3);
    expect(meaning.ranked[1]?.score ?? 1).toBeLessThan(0.2);
  });

  it('gives unit-length sentence vectors through the transformers.js pipeline', async () => {
    const [a, b] = await embedder.embed(['honeybees make honey', 'honeybees make honey']);
    expect(a).toBeDefined();
    expect(cosine(a!, a!)).toBeCloseTo(1, 5);
    expect(cosine(a!, b!)).toBeCloseTo(1, 5);
  });
});
