import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterImportProgress, AdapterImportResult, AppError } from '../../shared';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { fixtureLmHead, peftConfig, writePeftFolder } from '../models/peft/testing/peft-folder';
import { readSse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

type ImportEvent =
  | ({ type: 'progress' } & AdapterImportProgress)
  | { type: 'done'; result: AdapterImportResult }
  | { type: 'error'; error: AppError };

const dir = mkdtempSync(join(tmpdir(), 'ponder-server-adapters-'));
let t: TestServer;

beforeAll(async () => {
  await ensureFixtures();
  t = await startTestServer();
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function importFolder(folder: string): Promise<ImportEvent[]> {
  const response = await t.api('/api/adapters/import', {
    method: 'POST',
    json: { dir: folder, basePath: fixturePaths.base },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const { payloads } = await readSse(response);
  return payloads.map((payload) => JSON.parse(payload) as ImportEvent);
}

describe('POST /api/adapters/import', () => {
  it('streams the bytes written up to the whole file, then the adapter that fits', async () => {
    const folder = await writePeftFolder(join(dir, 'my-sft'), peftConfig(), fixtureLmHead('sft'));
    const events = await importFolder(folder);
    const out = join(folder, 'my-sft-F16-LoRA.gguf');
    const size = statSync(out).size;
    expect(events.at(-1)).toEqual({
      type: 'done',
      result: { out, bytes: size, pairs: 1, alpha: 320, warnings: [] },
    });
    const progress = events.filter((event) => event.type === 'progress');
    expect(progress.at(-1)).toEqual({ type: 'progress', writtenBytes: size, totalBytes: size });
  });

  it('ends with the refusal, in one line, and writes nothing', async () => {
    const folder = await writePeftFolder(
      join(dir, 'my-dora'),
      peftConfig({ use_dora: true }),
      fixtureLmHead('sft'),
    );
    const events = await importFolder(folder);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe('error');
    if (event?.type === 'error') {
      expect(event.error.message).toMatch(/uses DoRA \(use_dora\)/);
      expect(event.error.message).not.toContain('\n');
    }
    expect(existsSync(join(folder, 'my-dora-F16-LoRA.gguf'))).toBe(false);
  });

  it('refuses a request without the base model with 400', async () => {
    const response = await t.api('/api/adapters/import', { method: 'POST', json: { dir } });
    expect(response.status).toBe(400);
  });
});
