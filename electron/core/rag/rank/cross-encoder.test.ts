import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestCrossEncoder } from '../testing/test-cross-encoder';
import { buildTestEmbeddingModel, wordsOf } from '../testing/test-embedding-model';
import { CrossEncoder } from './cross-encoder';
import { Embedder } from './embedder';
import { rankPassages } from './rank-passages';

const QUESTION = 'when are temporary tables dropped';
const PASSAGES = [
  {
    heading: 'Guide › Temporary tables',
    text: 'Temporary tables are temporary tables, temporary tables everywhere.',
  },
  {
    heading: 'Guide › Parameters',
    text: 'A temporary table is dropped automatically at the end of the session.',
  },
  { heading: 'Guide › Other', text: 'Indexes speed up reads of tables.' },
];

let dir: string;
let crossEncoderDir: string;
let embeddingDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ponder-rerank-'));
  const words = wordsOf(QUESTION, ...PASSAGES.map((p) => `${p.heading} ${p.text}`));
  crossEncoderDir = await buildTestCrossEncoder(join(dir, 'cross-encoder'), {
    words,
    relevant: ['indexes', 'reads'],
  });
  embeddingDir = await buildTestEmbeddingModel(join(dir, 'embedder'), { words });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('cross-encoder ranking stage', () => {
  it('scores each question–passage pair through the real tokenizer and ONNX runtime', async () => {
    const reranker = new CrossEncoder({ dataDir: dir, modelDir: crossEncoderDir });
    const scores = await reranker.score(
      QUESTION,
      PASSAGES.map((p) => p.text),
    );
    expect(scores).toEqual([0, 0, 2]);
    await reranker.dispose();
  });

  it('moves the passage it prefers to the top, which keywords and embeddings did not put first', async () => {
    const embedder = new Embedder({ dataDir: dir, modelDir: embeddingDir });
    const reranker = new CrossEncoder({ dataDir: dir, modelDir: crossEncoderDir });
    const without = await rankPassages(QUESTION, PASSAGES, { embedder });
    const withIt = await rankPassages(QUESTION, PASSAGES, { embedder, reranker });
    expect(without.method).toBe('embedding+bm25');
    expect(without.ranked[0]?.index).not.toBe(2);
    expect(withIt.method).toBe('cross-encoder+embedding+bm25');
    expect(withIt.ranked[0]?.index).toBe(2);
    await Promise.all([embedder.dispose(), reranker.dispose()]);
  });

  it('skips the stage and says why when the model is missing and downloading is off', async () => {
    const embedder = new Embedder({ dataDir: dir, modelDir: embeddingDir });
    const reranker = new CrossEncoder({ dataDir: dir, allowDownload: false });
    const ranking = await rankPassages(QUESTION, PASSAGES, { embedder, reranker });
    expect(ranking.method).toBe('embedding+bm25');
    expect(ranking.note).toMatch(/cross-encoder.*downloading is off/);
    await embedder.dispose();
  });
});
