import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../../models/fixtures';
import { PonderError } from '../../errors';
import { kv, writeGguf } from '..';
import type { Catalog } from '../catalog/catalog';
import { downloadFile } from './download-file';
import { downloadModel } from './download-model';
import type { ModelDownloadProgress } from './download-model';
import { startTestServer } from './test-server';

let model: Buffer;
let sha256: string;
let scratch: string;
let dir: string;
let test = 0;

beforeAll(async () => {
  await ensureFixtures();
  model = await readFile(fixturePaths.base);
  sha256 = createHash('sha256').update(model).digest('hex');
  scratch = await mkdtemp(join(tmpdir(), 'ponder-download-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

beforeEach(() => {
  dir = join(scratch, `run-${test++}`);
});

const MODEL_PATH = '/test/tiny/resolve/main/tiny-qwen2.gguf';
const URI = 'hf:test/tiny/tiny-qwen2.gguf';

function catalogWith(file: { sha256?: string }): Catalog {
  return {
    version: 1,
    models: [
      {
        id: 'tiny',
        name: 'Tiny',
        description: 'fixture',
        role: 'base',
        architecture: 'qwen2',
        quantisation: 'F32',
        recommended: false,
        files: [{ uri: URI, sizeBytes: model.length, ...file }],
      },
    ],
  };
}

async function failure(promise: Promise<unknown>): Promise<PonderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PonderError);
  return error as PonderError;
}

describe('downloadModel against a local HTTP server', () => {
  it('downloads an hf: URI with progress and validates it', async () => {
    const server = await startTestServer(
      { [MODEL_PATH]: model },
      { chunkSize: 128 * 1024, delayMs: 20 },
    );
    try {
      const progress: ModelDownloadProgress[] = [];
      const result = await downloadModel(URI, {
        dir,
        env: { PONDER_HF_ENDPOINT: server.endpoint },
        onProgress: (event) => progress.push(event),
      });
      expect(result.path).toBe(join(dir, 'tiny-qwen2.gguf'));
      expect(result.summary.architecture).toBe('qwen2');
      expect((await readFile(result.path)).equals(model)).toBe(true);
      expect(progress.length).toBeGreaterThan(2);
      expect(progress.at(-1)).toMatchObject({
        bytes: model.length,
        total: model.length,
        fileIndex: 0,
        fileCount: 1,
      });
      expect(progress.every((event) => event.rate >= 0)).toBe(true);
      expect(await readdir(dir)).toEqual(['tiny-qwen2.gguf']);
    } finally {
      await server.close();
    }
  });

  it('resumes after a cancel with a Range request and ends with identical bytes', async () => {
    const server = await startTestServer(
      { [MODEL_PATH]: model },
      { chunkSize: 64 * 1024, delayMs: 10 },
    );
    try {
      const controller = new AbortController();
      const options = {
        dir,
        catalog: catalogWith({ sha256 }),
        env: { PONDER_HF_ENDPOINT: server.endpoint },
      };
      const first = await failure(
        downloadModel('tiny', {
          ...options,
          signal: controller.signal,
          onProgress: (event) => {
            if (event.bytes > 256 * 1024) controller.abort();
          },
        }),
      );
      expect(first.code).toBe('cancelled');
      const partial = (await stat(join(dir, 'tiny-qwen2.gguf.part'))).size;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(model.length);
      expect(existsSync(join(dir, 'tiny-qwen2.gguf'))).toBe(false);

      const result = await downloadModel('tiny', options);
      expect(server.requests.at(-1)).toEqual({ path: MODEL_PATH, range: `bytes=${partial}-` });
      expect(
        createHash('sha256')
          .update(await readFile(result.path))
          .digest('hex'),
      ).toBe(sha256);
      expect(await readdir(dir)).toEqual(['tiny-qwen2.gguf']);
    } finally {
      await server.close();
    }
  });

  it('resumes after the connection breaks', async () => {
    const server = await startTestServer({ [MODEL_PATH]: model }, { dropAfter: 1_000_000 });
    try {
      const options = { dir, env: { PONDER_HF_ENDPOINT: server.endpoint } };
      const broken = await failure(downloadModel(URI, options));
      expect(broken.code).toBe('download-failed');
      expect(broken.message).toMatch(/^Download failed: /);
      const result = await downloadModel(URI, options);
      expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
      expect((await readFile(result.path)).equals(model)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('starts over when the server ignores the Range header', async () => {
    const server = await startTestServer(
      { [MODEL_PATH]: model },
      { dropAfter: 700_000, ignoreRange: true },
    );
    try {
      const options = {
        dir,
        catalog: catalogWith({ sha256 }),
        env: { PONDER_HF_ENDPOINT: server.endpoint },
      };
      expect((await failure(downloadModel('tiny', options))).code).toBe('download-failed');
      const result = await downloadModel('tiny', options);
      expect(server.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
      expect(
        createHash('sha256')
          .update(await readFile(result.path))
          .digest('hex'),
      ).toBe(sha256);
    } finally {
      await server.close();
    }
  });

  it('finishes a partial file that already holds every byte (HTTP 416)', async () => {
    const server = await startTestServer({ [MODEL_PATH]: model });
    try {
      // As left by a process that stopped after the last byte but before the rename.
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'tiny-qwen2.gguf.part'), model);
      const result = await downloadModel(URI, {
        dir,
        env: { PONDER_HF_ENDPOINT: server.endpoint },
      });
      expect(server.requests).toEqual([{ path: MODEL_PATH, range: `bytes=${model.length}-` }]);
      expect((await readFile(result.path)).equals(model)).toBe(true);
      expect(await readdir(dir)).toEqual(['tiny-qwen2.gguf']);
    } finally {
      await server.close();
    }
  });

  it('keeps a sound downloaded file and fetches a damaged one again', async () => {
    const server = await startTestServer({ [MODEL_PATH]: model });
    try {
      const options = { dir, env: { PONDER_HF_ENDPOINT: server.endpoint } };
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'tiny-qwen2.gguf'), model.subarray(0, 5000));
      const result = await downloadModel(URI, options);
      expect((await readFile(result.path)).equals(model)).toBe(true);
      expect(server.requests).toHaveLength(1);
      await downloadModel(URI, options);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('downloads every part of a split model, reporting overall progress', async () => {
    const second = join(scratch, 'second-part.gguf');
    await writeGguf(second, {
      metadata: { 'split.no': kv.uint16(1), 'split.count': kv.uint16(2) },
      tensors: [{ name: 'x', shape: [1024], type: 'F32', values: new Float32Array(1024) }],
    });
    const part2 = await readFile(second);
    const server = await startTestServer(
      { [MODEL_PATH]: model, '/test/tiny/resolve/main/tiny-00002.gguf': part2 },
      { chunkSize: 256 * 1024, delayMs: 5 },
    );
    try {
      const catalog = catalogWith({});
      catalog.models[0]?.files.push({
        uri: 'hf:test/tiny/tiny-00002.gguf',
        sizeBytes: part2.length,
      });
      const progress: ModelDownloadProgress[] = [];
      const result = await downloadModel('tiny', {
        dir,
        catalog,
        env: { PONDER_HF_ENDPOINT: server.endpoint },
        onProgress: (event) => progress.push(event),
      });
      expect(result.files).toEqual([join(dir, 'tiny-qwen2.gguf'), join(dir, 'tiny-00002.gguf')]);
      expect(result.path).toBe(result.files[0]);
      const overall = progress.map((event) => event.overallBytes);
      expect(overall).toEqual([...overall].sort((a, b) => a - b));
      expect(progress.at(-1)).toMatchObject({
        fileIndex: 1,
        fileCount: 2,
        overallBytes: model.length + part2.length,
        overallTotal: model.length + part2.length,
      });
    } finally {
      await server.close();
    }
  });

  it('gives up on a server that stops sending, keeping what arrived', async () => {
    const server = await startTestServer(
      { [MODEL_PATH]: model },
      { chunkSize: 100_000, delayMs: 5_000 },
    );
    try {
      const error = await failure(
        downloadFile({
          url: `${server.endpoint}${MODEL_PATH}`,
          dest: join(scratch, 'stall.gguf'),
          idleTimeoutMs: 300,
        }),
      );
      expect(error.code).toBe('download-failed');
      expect(error.message).toMatch(/^Download failed: 127\.0\.0\.1:\d+ sent nothing for 300 ms$/);
      expect((await stat(join(scratch, 'stall.gguf.part'))).size).toBe(100_000);
    } finally {
      await server.close();
    }
  });

  it('says when the folder cannot be created', async () => {
    const error = await failure(
      downloadModel(URI, { dir: join(fixturePaths.base, 'inside-a-file') }),
    );
    expect(error.code).toBe('download-failed');
    expect(error.message).toMatch(/^Download failed: cannot create .*inside-a-file \(ENOTDIR\)$/);
  });

  it('removes a file whose sha256 does not match', async () => {
    const server = await startTestServer({ [MODEL_PATH]: model });
    try {
      const error = await failure(
        downloadModel('tiny', {
          dir,
          catalog: catalogWith({ sha256: '0'.repeat(64) }),
          env: { PONDER_HF_ENDPOINT: server.endpoint },
        }),
      );
      expect(error.code).toBe('checksum-mismatch');
      expect(error.message).toContain(`got ${sha256}`);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('reports a missing file, a server that is down, and a file that is not a model', async () => {
    const server = await startTestServer({
      '/test/tiny/resolve/main/notes.gguf': Buffer.from('just text, not a model\n'),
    });
    const env = { PONDER_HF_ENDPOINT: server.endpoint };
    try {
      const missing = await failure(downloadModel('hf:test/tiny/absent.gguf', { dir, env }));
      expect(missing.code).toBe('download-failed');
      expect(missing.message).toBe(
        `Download failed: ${server.endpoint}/test/tiny/resolve/main/absent.gguf does not exist (HTTP 404)`,
      );
      const text = await failure(downloadModel('hf:test/tiny/notes.gguf', { dir, env }));
      expect(text.message).toMatch(
        /is not a usable GGUF model \(is not a GGUF file \(bad magic "just"/,
      );
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await server.close();
    }
    const offline = await failure(downloadModel(URI, { dir, env }));
    expect(offline.code).toBe('download-failed');
    expect(offline.message).toMatch(
      /cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\); are you offline\?/,
    );
  });
});
