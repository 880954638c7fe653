import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent, ConversationDetail } from '../../shared';
import { fixturePaths } from '../../../models/fixtures';
import { readSse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

/** stories260K writes long stories, so there is time to hang up mid-answer. */
let t: TestServer;
beforeAll(async () => {
  if (!existsSync(fixturePaths.stories260K)) {
    throw new Error(`Missing ${fixturePaths.stories260K} (the shared stories260K fixture).`);
  }
  t = await startTestServer({
    flags: { model: fixturePaths.stories260K },
    server: { maxWaiting: 1 },
  });
});
afterAll(async () => t?.close());

/** Starts a streamed answer and hangs up after `after` text events; returns the conversation id. */
async function askAndHangUp(after: number): Promise<{ id: string; texts: number }> {
  const response = await t.api('/api/ask', {
    method: 'POST',
    json: { mode: 'chat', text: 'Once upon a time' },
  });
  let id = '';
  let texts = 0;
  const { frames } = await readSse(response, (payload) => {
    const event = JSON.parse(payload) as AnswerEvent;
    if (event.type === 'conversation') id = event.id;
    if (event.type === 'text') texts += 1;
    expect(event.type).not.toBe('done');
    return texts >= after;
  });
  for (const frame of frames) expect(frame).toMatch(/^(data: \{[^\n]*\}|: ping)$/);
  return { id, texts };
}

async function assistantStatus(id: string): Promise<string | undefined> {
  const detail = (await (await t.api(`/api/conversations/${id}`)).json()) as ConversationDetail;
  return detail.messages.find((message) => message.role === 'assistant')?.status;
}

describe('cancel on disconnect', () => {
  it('stops the answer when the client hangs up; the model answers the next question', async () => {
    const { id, texts } = await askAndHangUp(5);
    expect(texts).toBe(5);
    // The next question waits for the cancelled one to wind down, then gets a real answer.
    const next = await t.api('/v1/chat/completions', {
      method: 'POST',
      json: {
        model: 'ponder-chat',
        messages: [{ role: 'user', content: 'Once upon a time' }],
        max_tokens: 40,
      },
    });
    expect(next.status).toBe(200);
    const body = (await next.json()) as {
      choices: { message: { content: string }; finish_reason: string }[];
      usage: { completion_tokens: number };
    };
    expect(body.choices[0]?.message.content).toMatch(/[a-z]+ [a-z]+/);
    expect(body.choices[0]?.finish_reason).toBe('length');
    expect(body.usage.completion_tokens).toBe(40);
    expect(await assistantStatus(id)).toBe('cancelled');
  });

  it('answers 429 engine-busy when the queue is full, as JSON before any stream opens', async () => {
    const controller = new AbortController();
    const running = await t.api('/api/ask', {
      method: 'POST',
      json: { mode: 'chat', text: 'Once upon a time' },
      signal: controller.signal,
    });
    expect(running.status).toBe(200);
    const waiting = t.api('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'ponder-chat', messages: [{ role: 'user', content: 'Once' }], max_tokens: 20 },
    });
    // Give the waiting request time to reach the queue before the third arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await t.api('/api/ask', { method: 'POST', json: { mode: 'chat', text: 'Hi' } });
    expect(refused.status).toBe(429);
    // OpenAI's and LangChain's clients wait this long before asking again.
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('engine-busy');
    controller.abort();
    expect((await waiting).status).toBe(200);
  });

  it('close() ends running streams and resolves', async () => {
    const response = await t.api('/api/ask', {
      method: 'POST',
      json: { mode: 'chat', text: 'Once upon a time' },
    });
    const reading = readSse(response).catch(() => ({ payloads: [], frames: [] }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.server.close(100);
    const { payloads } = await reading;
    expect(payloads.some((payload) => payload.includes('"type":"done"'))).toBe(false);
    await expect(fetch(`${t.server.url}/api/health`)).rejects.toThrow();
  });
});

describe('limits', () => {
  it('stops an answer that runs past the time limit with a clear error', async () => {
    const limited = await startTestServer({
      flags: { model: fixturePaths.stories260K },
      server: { answerTimeoutMs: 1_500 },
    });
    try {
      const response = await limited.api('/generate', {
        method: 'POST',
        json: { query: 'Once upon a time', mode: 'chat' },
      });
      expect(response.status).toBe(504);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error).toMatchObject({
        code: 'cancelled',
        message: 'The answer was stopped after 2 s.',
      });
      expect((await limited.api('/api/health')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
