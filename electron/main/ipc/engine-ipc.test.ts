import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, EngineTestResult, Result } from '../../shared';
import { DESKTOP_CHANNELS, IPC_CHANNELS } from '../../shared';
import { createPonderCore } from '../../core/app';
import type { PonderCore } from '../../core/app';
import { freePort } from '../../core/llm/remote/testing/start-llama-server';
import { startOpenAiStandIn } from '../../core/llm/remote/testing/openai-stand-in';
import type { StandInOptions } from '../../core/llm/remote/testing/openai-stand-in';
import type { LocalHttpServer } from '../../core/llm/remote/testing/start-http-server';
import { startHttpServer } from '../../core/llm/remote/testing/start-http-server';
import { createEngineKeyStore } from '../secrets/engine-key-store';
import type { EngineKeyStore } from '../secrets/engine-key-store';
import { fakeSafeStorage } from '../secrets/testing/fake-safe-storage';
import type { IpcCaller } from './ipc-handlers';
import { createIpcHandlers } from './ipc-handlers';
import { quietDesktop } from './testing/quiet-desktop';

const desktop = quietDesktop;

function caller(id: number): IpcCaller & { sent: unknown[][] } {
  const sent: unknown[][] = [];
  return { id, sent, send: (...args) => void sent.push(args), isGone: () => false };
}

const OLD_KEY = 'engine-key-old-1234';
const NEW_KEY = 'engine-key-new-5678';

let dataDir: string;
let core: PonderCore;
let keys: EngineKeyStore;
let handlers: ReturnType<typeof createIpcHandlers>;
let server: LocalHttpServer;
const serverOptions: StandInOptions = {
  key: OLD_KEY,
  models: ['qwen2.5-1.5b-instruct'],
  adapters: [
    { id: 0, path: '/adapters/sft.gguf', scale: 0 },
    { id: 1, path: '/adapters/grpo.gguf', scale: 0 },
  ],
  reply: 'Two and two make four.',
};

/** The desktop app's wiring (electron/main/index.ts), with a stand-in for safeStorage. */
beforeAll(async () => {
  server = await startOpenAiStandIn(serverOptions);
  dataDir = mkdtempSync(join(tmpdir(), 'ponder-engine-ipc-'));
  keys = createEngineKeyStore(dataDir, fakeSafeStorage({ backend: 'kwallet6' }));
  core = await createPonderCore({
    flags: { dataDir },
    env: {},
    remoteEngineKey: () => keys.get(),
  });
  handlers = createIpcHandlers(core, desktop, keys);
});

afterAll(async () => {
  await core?.dispose();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const invoke = async <T>(channel: string, ...args: unknown[]): Promise<Result<T>> => {
  const handler = handlers.invoke[channel];
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(caller(1), args)) as Result<T>;
};

async function ask(text: string): Promise<AnswerEvent[]> {
  const window = caller(3);
  await handlers.invoke[IPC_CHANNELS.ask]?.(window, [
    `req-${Math.random().toString(36).slice(2)}`,
    { mode: 'chat', text },
  ]);
  return window.sent.map((entry) => entry[2] as AnswerEvent);
}

const answerText = (events: AnswerEvent[]): string =>
  events.map((event) => (event.type === 'text' ? event.text : '')).join('');

describe('Settings → Engine over IPC: the key in the keychain and "Test connection"', () => {
  it('tests the typed address before anything is saved: a refused key is one line', async () => {
    const result = await invoke(IPC_CHANNELS.testEngine, { url: server.url });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: `The engine at ${server.url} refused the API key (401).`,
        hint: 'Check the key (Settings → Engine, or the variable named by --engine-key-env).',
      },
    });
  });

  it('saves the key encrypted, and the test then lists the models and LoRA adapters', async () => {
    expect(await invoke(DESKTOP_CHANNELS.engineKeyStatus)).toEqual({
      ok: true,
      value: { available: true, saved: false },
    });
    expect(await invoke(DESKTOP_CHANNELS.setEngineKey, OLD_KEY)).toEqual({
      ok: true,
      value: { available: true, saved: true },
    });
    const result = await invoke<EngineTestResult>(IPC_CHANNELS.testEngine, {
      url: `${server.url}/v1`,
    });
    expect(result).toEqual({
      ok: true,
      value: {
        url: server.url,
        models: ['qwen2.5-1.5b-instruct'],
        adapters: serverOptions.adapters,
        key: 'keychain',
      },
    });
    expect(server.seen.at(-1)?.authorization).toBe(`Bearer ${OLD_KEY}`);
  });

  it('answers with the saved key, and after the key is changed, with the new one', async () => {
    core.settings.update({ engine: { kind: 'remote', url: server.url } });
    expect(answerText(await ask('What is 2+2?'))).toBe('Two and two make four.');

    // The server's key is rotated: the connected engine's old key is refused, in one line.
    serverOptions.key = NEW_KEY;
    const refused = await ask('And 3+3?');
    expect(refused.at(-1)).toMatchObject({
      type: 'error',
      error: {
        code: 'unauthorized',
        message: `The engine at ${server.url} refused the API key (401).`,
      },
    });

    // Saving the new key in Settings is enough: the engine reconnects with it.
    expect(await invoke(DESKTOP_CHANNELS.setEngineKey, NEW_KEY)).toMatchObject({ ok: true });
    expect(answerText(await ask('And 3+3?'))).toBe('Two and two make four.');
    expect(server.seen.at(-1)).toMatchObject({
      path: '/v1/chat/completions',
      authorization: `Bearer ${NEW_KEY}`,
    });
  });

  it('never writes the key to settings.json, health, settings or an export', async () => {
    for (const name of readdirSync(dataDir)) {
      if (name.startsWith('ponder.db')) continue;
      const text = readFileSync(join(dataDir, name)).toString('latin1');
      expect(text, name).not.toContain(NEW_KEY);
      expect(text, name).not.toContain(OLD_KEY);
    }
    const shown = JSON.stringify([
      await invoke(IPC_CHANNELS.health),
      await invoke(IPC_CHANNELS.getSettings),
      await invoke(IPC_CHANNELS.exportConversations, 'all', 'json'),
      await invoke(IPC_CHANNELS.exportConversations, 'all', 'md'),
    ]);
    expect(shown).toContain(server.url);
    expect(shown).not.toContain(NEW_KEY);
    expect(shown).not.toContain(OLD_KEY);
  });

  it('forgets the key: the next test sends none and is refused', async () => {
    expect(await invoke(DESKTOP_CHANNELS.setEngineKey, null)).toEqual({
      ok: true,
      value: { available: true, saved: false },
    });
    const result = await invoke(IPC_CHANNELS.testEngine, { url: server.url });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(server.seen.at(-1)?.authorization).toBeUndefined();
  });

  it('uses the variable the form names where Ponder runs, and says when it is not set', async () => {
    const result = await invoke(IPC_CHANNELS.testEngine, {
      url: server.url,
      keyEnv: 'PONDER_TEST_UNSET_ENGINE_KEY',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message:
          "The variable PONDER_TEST_UNSET_ENGINE_KEY that should hold the engine's API key is not set.",
        hint: 'Set it where Ponder runs (export PONDER_TEST_UNSET_ENGINE_KEY=…), or clear the field.',
      },
    });
  });

  it('says plainly when nothing listens, or when the server is not OpenAI-compatible', async () => {
    const port = await freePort();
    expect(
      await invoke(IPC_CHANNELS.testEngine, { url: `http://127.0.0.1:${port}` }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'model-crashed',
        message: `The engine at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`,
      },
    });
    const web = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>It works!</body></html>');
    });
    try {
      expect(await invoke(IPC_CHANNELS.testEngine, { url: web.url })).toMatchObject({
        ok: false,
        error: {
          message: `The engine at ${web.url} is not an OpenAI-compatible server (GET /v1/models has no model list).`,
        },
      });
    } finally {
      await web.close();
    }
  });

  it('refuses plain http to a public host and malformed input before sending anything', async () => {
    const seen = server.seen.length;
    expect(
      await invoke(IPC_CHANNELS.testEngine, { url: 'http://gpu.example.com:8000' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    for (const bad of [[], [{ url: 'x'.repeat(5000) }], [{ url: server.url, apiKey: 'k' }]]) {
      const result = await handlers.invoke[IPC_CHANNELS.testEngine]?.(caller(1), bad);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(await invoke(DESKTOP_CHANNELS.setEngineKey, 'x'.repeat(5000))).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(server.seen.length).toBe(seen);
  });
});

describe('Settings → Engine over IPC where safeStorage cannot encrypt', () => {
  it('says so and keeps nothing; the key variable still works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ponder-engine-ipc-plain-'));
    const plainCore = await createPonderCore({ flags: { dataDir: dir }, env: {}, memory: false });
    try {
      const noKeychain = createEngineKeyStore(dir, fakeSafeStorage({ available: false }));
      const plain = createIpcHandlers(plainCore, desktop, noKeychain);
      const status = await plain.invoke[DESKTOP_CHANNELS.engineKeyStatus]?.(caller(1), []);
      expect(status).toEqual({
        ok: true,
        value: {
          available: false,
          saved: false,
          reason: 'This system offers no keychain to encrypt the key with.',
        },
      });
      const refused = await plain.invoke[DESKTOP_CHANNELS.setEngineKey]?.(caller(1), [NEW_KEY]);
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(readdirSync(dir).some((name) => name.includes('engine-key'))).toBe(false);

      process.env.PONDER_TEST_ENGINE_KEY = NEW_KEY;
      serverOptions.key = NEW_KEY;
      const tested = await plain.invoke[IPC_CHANNELS.testEngine]?.(caller(1), [
        { url: server.url, keyEnv: 'PONDER_TEST_ENGINE_KEY' },
      ]);
      expect(tested).toMatchObject({ ok: true, value: { key: 'variable', url: server.url } });
    } finally {
      delete process.env.PONDER_TEST_ENGINE_KEY;
      await plainCore.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
