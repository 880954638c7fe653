import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiStandIn } from '../../llm/remote/testing/openai-stand-in';
import type { LocalHttpServer } from '../../llm/remote/testing/start-http-server';
import { freePort } from '../../llm/remote/testing/start-llama-server';
import { startTestServer } from '../testing/start-test-server';
import type { TestServer } from '../testing/start-test-server';

const KEY = 'served-engine-key-2468';
let t: TestServer;
let engine: LocalHttpServer;

beforeAll(async () => {
  engine = await startOpenAiStandIn({ key: KEY, models: ['sft', 'grpo', 'base'] });
  t = await startTestServer();
  process.env.PONDER_TEST_SERVED_ENGINE_KEY = KEY;
});

afterAll(async () => {
  delete process.env.PONDER_TEST_SERVED_ENGINE_KEY;
  await t?.close();
  await engine?.close();
});

const test = (body: unknown): Promise<Response> =>
  t.api('/api/engine/test', { method: 'POST', json: body });

describe('POST /api/engine/test (Settings → Engine in the browser UI)', () => {
  it('lists the models with the key from the variable named in the form', async () => {
    const response = await test({ url: engine.url, keyEnv: 'PONDER_TEST_SERVED_ENGINE_KEY' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      url: engine.url,
      models: ['sft', 'grpo', 'base'],
      adapters: null,
      key: 'variable',
    });
    expect(engine.seen.at(-1)?.authorization).toBe(`Bearer ${KEY}`);
  });

  it("answers the engine's refusal as 502 with its one line, never the key", async () => {
    const response = await test({ url: engine.url });
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'unauthorized',
        message: `The engine at ${engine.url} refused the API key (401).`,
        hint: 'Check the key (Settings → Engine, or the variable named by --engine-key-env).',
      },
    });
    expect(text).not.toContain(KEY);
  });

  it('says when nothing listens at the address', async () => {
    const port = await freePort();
    const response = await test({ url: `http://127.0.0.1:${port}` });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      `The engine at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`,
    );
  });

  it('refuses a bad address or body with 400/403 before sending anything', async () => {
    const seen = engine.seen.length;
    expect((await test({ url: 'not a url' })).status).toBe(400);
    expect((await test({ url: 'http://gpu.example.com' })).status).toBe(403);
    expect((await test({ url: engine.url, keyEnv: 'NOT-A-NAME' })).status).toBe(400);
    expect((await test({ url: engine.url, extra: true })).status).toBe(400);
    expect(engine.seen.length).toBe(seen);
  });

  it('needs the bearer token like every API route', async () => {
    const response = await fetch(`${t.server.url}/api/engine/test`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: engine.url }),
    });
    expect(response.status).toBe(401);
  });
});
