import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogEntry, PonderSettings } from '../../shared';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { readSse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

type DownloadEvent =
  | { type: 'progress'; receivedBytes: number; totalBytes: number | null; bytesPerSecond: number }
  | { type: 'done'; path: string }
  | { type: 'error'; error: { code: string; message: string } };

let model: Buffer;
let files: Server;
let dir: string;
let t: TestServer;

beforeAll(async () => {
  await ensureFixtures();
  model = readFileSync(fixturePaths.base);
  // A file server on 127.0.0.1 that sends the model slowly enough to report progress.
  files = createServer((request, response) => {
    if (request.url !== '/tiny-qwen2.gguf' && request.url !== '/corrupt.gguf') {
      response.writeHead(404).end();
      return;
    }
    const body = request.url === '/corrupt.gguf' ? Buffer.from(model).fill(7, 5000, 6000) : model;
    response.writeHead(200, { 'Content-Length': String(body.length) });
    let offset = 0;
    const step = (): void => {
      if (offset >= body.length) {
        response.end();
        return;
      }
      response.write(body.subarray(offset, offset + 256 * 1024));
      offset += 256 * 1024;
      setTimeout(step, 20);
    };
    step();
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ponder-download-'));
  const sha256 = createHash('sha256').update(model).digest('hex');
  const entry = (id: string, file: string) => ({
    id,
    name: id,
    description: 'A tiny test model.',
    role: 'base',
    architecture: 'qwen2',
    quantisation: 'F32',
    files: [{ uri: `${base}/${file}`, sizeBytes: model.length, sha256 }],
  });
  const catalog = join(dir, 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify({
      version: 1,
      models: [entry('tiny-model', 'tiny-qwen2.gguf'), entry('corrupt-model', 'corrupt.gguf')],
    }),
  );
  // The catalog is found through the environment of this test process (one process per file).
  process.env.PONDER_CATALOG = catalog;
  t = await startTestServer({ env: { PONDER_CATALOG: catalog } });
});

afterAll(async () => {
  await t?.close();
  await new Promise((resolve) => files?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function download(id: string): Promise<DownloadEvent[]> {
  const response = await t.api('/api/models/download', { method: 'POST', json: { id } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const { payloads } = await readSse(response);
  return payloads.map((payload) => JSON.parse(payload) as DownloadEvent);
}

describe('model downloads over HTTP', () => {
  it('lists the catalog', async () => {
    const catalog = (await (await t.api('/api/models/catalog')).json()) as CatalogEntry[];
    expect(catalog.map((entry) => entry.id)).toEqual(['tiny-model', 'corrupt-model']);
    expect(catalog[0]).toMatchObject({ sizeBytes: model.length });
    expect(catalog[0]?.localPath).toBeUndefined();
  });

  it('streams progress, then the saved path; the first base model becomes the configured one', async () => {
    const events = await download('tiny-model');
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    const received = progress.map((event) => event.receivedBytes);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(events.at(-1)).toEqual({ type: 'done', path: expect.any(String) });
    const { path } = events.at(-1) as { path: string };
    expect(readFileSync(path).equals(model)).toBe(true);
    const settings = (await (await t.api('/api/settings')).json()) as PonderSettings;
    expect(settings.modelPath).toBe(path);
    const catalog = (await (await t.api('/api/models/catalog')).json()) as CatalogEntry[];
    expect(catalog[0]?.localPath).toBe(path);
  });

  it('ends with a checksum-mismatch error event for a corrupted file', async () => {
    const events = await download('corrupt-model');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'checksum-mismatch' } });
  });

  it('ends with a not-found error event for an unknown model', async () => {
    const events = await download('no-such-model');
    expect(events).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'not-found' }) },
    ]);
  });
});

describe('cancel', () => {
  it('a client hanging up mid-download leaves the next download working', async () => {
    // tiny-model is already there from the test above; remove the copy so a real transfer starts.
    const catalog = (await (await t.api('/api/models/catalog')).json()) as CatalogEntry[];
    if (catalog[0]?.localPath) rmSync(catalog[0].localPath);
    const response = await t.api('/api/models/download', {
      method: 'POST',
      json: { id: 'tiny-model' },
    });
    let seen = 0;
    await readSse(response, () => (seen += 1) >= 1);
    expect(seen).toBe(1);
    const events = await download('tiny-model');
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    expect(readFileSync((events.at(-1) as { path: string }).path).equals(model)).toBe(true);
  });
});
