import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PonderError } from '../../errors';
import { send, startLocalHttpServer, type LocalHttpServer } from '../testing/local-http-server';
import { buildTestEmbeddingModel, wordsOf } from '../testing/test-embedding-model';
import { Embedder, type EmbeddingProgress } from './embedder';
import { rankPassages } from './rank-passages';

let dir: string;
let hub: LocalHttpServer;
const MODEL_ID = 'ponder-test/bag-of-words';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ponder-embed-dl-'));
  const modelDir = await buildTestEmbeddingModel(join(dir, 'hub-files'), {
    words: wordsOf('tides are caused by the moon pulling the oceans'),
  });
  // Serves files the way the model hub does: /{model}/resolve/{revision}/{file}.
  hub = await startLocalHttpServer(async (_request, response, url) => {
    const prefix = `/${MODEL_ID}/resolve/main/`;
    if (!url.pathname.startsWith(prefix)) return send(response, 404, 'not found');
    const file = join(modelDir, url.pathname.slice(prefix.length));
    if (!existsSync(file)) return send(response, 404, 'not found');
    const body = await readFile(file);
    response.writeHead(200, {
      'content-length': body.length,
      'content-type': 'application/octet-stream',
    });
    response.end(body);
  });
});

afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe('embedding model download', () => {
  it('downloads into <dataDir>/models/embeddings on first use, reporting progress, then works offline', async () => {
    const dataDir = join(dir, 'data');
    const progress: EmbeddingProgress[] = [];
    const first = new Embedder({
      dataDir,
      modelId: MODEL_ID,
      remoteHost: `${hub.origin}/`,
      onProgress: (p) => progress.push(p),
    });
    const [vector] = await first.embed(['the moon pulls the oceans']);
    expect(vector?.length).toBe(64);
    expect(
      existsSync(join(dataDir, 'models', 'embeddings', MODEL_ID, 'onnx', 'model_quantized.onnx')),
    ).toBe(true);
    expect(progress.some((p) => p.file === 'onnx/model_quantized.onnx' && p.progress === 100)).toBe(
      true,
    );
    expect(hub.requests.some((r) => r.includes('/resolve/main/onnx/model_quantized.onnx'))).toBe(
      true,
    );
    await first.dispose();

    // The second load reads the cache: the hub is not asked again.
    const asked = hub.requests.length;
    const second = new Embedder({ dataDir, modelId: MODEL_ID, remoteHost: 'http://127.0.0.1:9/' });
    expect(await second.embed(['tides'])).toHaveLength(1);
    expect(hub.requests.length).toBe(asked);
    await second.dispose();
  });

  it('reports embedding-unavailable when the model is missing and cannot be fetched, and ranking falls back to BM25', async () => {
    const offline = await startLocalHttpServer(() => undefined);
    await offline.close();
    const embedder = new Embedder({
      dataDir: join(dir, 'empty'),
      modelId: MODEL_ID,
      remoteHost: `${offline.origin}/`,
    });
    const error = await embedder.embed(['tides']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PonderError);
    expect((error as PonderError).code).toBe('embedding-unavailable');

    const outcome = await rankPassages(
      'moon tides',
      [
        { heading: '', text: 'stock prices' },
        { heading: '', text: 'the moon causes tides' },
      ],
      { embedder },
    );
    expect(outcome.method).toBe('bm25');
    expect(outcome.note).toMatch(/keywords only/);
    expect(outcome.ranked[0]?.index).toBe(1);
    await embedder.dispose();
  });

  it('refuses a local model folder that does not exist, without touching the network', async () => {
    const embedder = new Embedder({
      dataDir: join(dir, 'x'),
      modelDir: join(dir, 'no-such-model'),
    });
    const error = await embedder.embed(['tides']).catch((e: unknown) => e);
    expect((error as PonderError).code).toBe('embedding-unavailable');
    expect((error as PonderError).message).toContain('no-such-model');
  });
});
