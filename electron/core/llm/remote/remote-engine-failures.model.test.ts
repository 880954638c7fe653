import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_GRPO_PARTS, fixturePaths } from '../../../../models/fixtures';
import { collectAnswer } from '../testing/collect-answer';
import { createRemoteEngine } from './create-remote-engine';
import { freePort, startLlamaServer, type LlamaServerProcess } from './testing/start-llama-server';

/** stories260K with end-of-text suppressed writes until max_tokens: there is time to stop it mid-answer. */
async function startStoriesServer(): Promise<LlamaServerProcess> {
  if (!existsSync(fixturePaths.stories260K)) {
    throw new Error(`Missing ${fixturePaths.stories260K} (the shared stories260K fixture).`);
  }
  return startLlamaServer({
    model: fixturePaths.stories260K,
    contextSize: 4096,
    extra: ['--ignore-eos'],
  });
}

interface SlotState {
  is_processing?: boolean;
  next_token?: { n_decoded?: number }[];
}

async function slot(server: LlamaServerProcess): Promise<SlotState> {
  const slots = (await (await fetch(`${server.url}/slots`)).json()) as SlotState[];
  return slots[0] ?? {};
}

describe('remote engine: cancellation and a server that dies', () => {
  let server: LlamaServerProcess;
  beforeAll(async () => {
    server = await startStoriesServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('cancels mid-answer: done/cancelled after the text so far, and the server stops generating', async () => {
    const engine = await createRemoteEngine({ url: server.url });
    const controller = new AbortController();
    let pieces = 0;
    const answer = await collectAnswer(
      engine,
      { mode: 'chat', temperature: 0, maxTokens: 3000, signal: controller.signal },
      (event) => {
        if (event.type === 'text' && ++pieces === 5) controller.abort();
      },
    );
    expect(answer.error).toBeUndefined();
    expect(answer.stats?.stopReason).toBe('cancelled');
    expect(answer.text.length).toBeGreaterThan(0);
    // Closing the stream is how the server learns: its slot goes idle long before 3000 tokens.
    let state = await slot(server);
    for (let poll = 0; poll < 400 && state.is_processing; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      state = await slot(server);
    }
    expect(state.is_processing).toBe(false);
    expect(state.next_token?.[0]?.n_decoded ?? 0).toBeLessThan(3000);
    // And the engine answers the next question at once.
    const next = await collectAnswer(engine, { mode: 'chat', temperature: 0, maxTokens: 8 });
    expect(next.stats).toMatchObject({ stopReason: 'max-tokens', completionTokens: 8 });
    await engine.dispose();
  });

  it('reports a server killed mid-answer as one error, keeping the text that arrived', async () => {
    const victim = await startStoriesServer();
    const engine = await createRemoteEngine({ url: victim.url });
    let pieces = 0;
    const answer = await collectAnswer(
      engine,
      { mode: 'chat', temperature: 0, maxTokens: 3000 },
      (event) => {
        if (event.type === 'text' && ++pieces === 3) victim.process.kill('SIGKILL');
      },
    );
    await victim.stop();
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.stats).toBeUndefined();
    expect(answer.error?.code).toBe('model-crashed');
    expect(answer.error?.message).toBe(
      `The connection to the engine at ${victim.url} closed mid-answer; the text so far is kept.`,
    );
    expect(answer.events.filter((e) => e.type === 'error' || e.type === 'done')).toHaveLength(1);
    // The server is gone now: the next question says so instead of hanging.
    const after = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(after.error?.message).toMatch(/^The engine at .* cannot be reached/);
  });

  it('gives up on a server that stops answering, at the time limit', async () => {
    const engine = await createRemoteEngine({ url: server.url, idleTimeoutMs: 300 });
    server.process.kill('SIGSTOP');
    try {
      const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(answer.error).toEqual({
        code: 'model-crashed',
        message: `The engine at ${server.url} did not answer within 0.3 s.`,
        hint: 'The server may be overloaded or stuck; ask again, or raise its time limit.',
      });
    } finally {
      server.process.kill('SIGCONT');
    }
  });
});

describe('remote engine: refusals', () => {
  let server: LlamaServerProcess;
  beforeAll(async () => {
    await ensureFixtures();
    server = await startLlamaServer({
      model: fixturePaths.base,
      loras: [fixturePaths.sft, fixturePaths.grpo],
      apiKey: 'fixture-key-123',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a missing or wrong API key with 401, never echoing the key', async () => {
    await expect(createRemoteEngine({ url: server.url })).rejects.toMatchObject({
      code: 'unauthorized',
      message: `The engine at ${server.url} refused the API key (401).`,
    });
    const wrong = createRemoteEngine({ url: server.url, apiKey: 'not-the-key' });
    await expect(wrong).rejects.toMatchObject({ code: 'unauthorized' });
    const error = (await wrong.catch((e: unknown) => e)) as { message: string; hint?: string };
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('not-the-key');
  });

  it('answers with the right key, and the key shows nowhere in info()', async () => {
    const engine = await createRemoteEngine({
      url: server.url,
      apiKey: 'fixture-key-123',
      modes: { reasoning: { lora: [{ id: 1, scale: 1 }] } },
    });
    expect(JSON.stringify(engine.info())).not.toContain('fixture-key-123');
    const answer = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(answer.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('refuses a wrong adapter id for its mode only (llama-server itself would ignore it)', async () => {
    const engine = await createRemoteEngine({
      url: server.url,
      apiKey: 'fixture-key-123',
      modes: { chat: { lora: [{ id: 7, scale: 1 }] }, reasoning: { lora: [{ id: 1, scale: 1 }] } },
    });
    const chat = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(chat.error?.code).toBe('adapter-missing');
    expect(chat.error?.message).toBe(
      `The engine at ${server.url} has no LoRA adapter id 7 for chat mode; it has: 0 (${fixturePaths.sft}), 1 (${fixturePaths.grpo}).`,
    );
    await expect(engine.prepare('chat')).rejects.toMatchObject({ code: 'adapter-missing' });
    const reasoning = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(reasoning.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('says plainly when nothing listens at the address', async () => {
    const port = await freePort();
    await expect(createRemoteEngine({ url: `http://127.0.0.1:${port}` })).rejects.toMatchObject({
      code: 'model-crashed',
      message: `The engine at http://127.0.0.1:${port} cannot be reached (ECONNREFUSED).`,
    });
  });
});
