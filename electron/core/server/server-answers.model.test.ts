import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnswerEvent,
  ConversationDetail,
  ConversationSummary,
  HealthInfo,
} from '../../shared';
import { ensureFixtures, FIXTURE_GRPO_PARTS, fixturePaths } from '../../../models/fixtures';
import { readSse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

let t: TestServer;
beforeAll(async () => {
  await ensureFixtures();
  t = await startTestServer({
    flags: { model: fixturePaths.base, sft: fixturePaths.sft, grpo: fixturePaths.grpo },
  });
});
afterAll(async () => t?.close());

async function ask(
  body: unknown,
): Promise<{ events: AnswerEvent[]; frames: string[]; response: Response }> {
  const response = await t.api('/api/ask', { method: 'POST', json: body });
  expect(response.status).toBe(200);
  const { payloads, frames } = await readSse(response);
  return {
    events: payloads.map((payload) => JSON.parse(payload) as AnswerEvent),
    frames,
    response,
  };
}

const joined = (events: AnswerEvent[], type: 'reasoning' | 'solution' | 'text'): string =>
  events.map((event) => (event.type === type ? event.text : '')).join('');

describe('POST /api/ask (SSE)', () => {
  it('streams a reasoning answer as one JSON AnswerEvent per data line and ends after done', async () => {
    const { events, frames, response } = await ask({
      mode: 'reasoning',
      text: 'What is two plus two?',
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    // Comment lines (`: ping`) keep a slow start (model loading) alive; everything else is an event.
    for (const frame of frames) expect(frame).toMatch(/^(data: \{.*\}|: ping)$/);
    // The question is saved first, so its conversation is listed while the model loads.
    expect(events[0]).toMatchObject({ type: 'conversation' });
    // The first question loads the model, and says how far the load got, from 0 to 1.
    const loading = events.filter((event) => event.type === 'model-loading');
    expect(loading[0]).toEqual({ type: 'model-loading', progress: 0 });
    expect(loading.at(-1)).toEqual({ type: 'model-loading', progress: 1 });
    expect(events.slice(1, loading.length + 1)).toEqual(loading);
    expect(joined(events, 'reasoning')).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(joined(events, 'solution')).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(events.at(-1)).toMatchObject({
      type: 'done',
      stats: { mode: 'reasoning', adapter: 'grpo' },
    });
    expect(events.filter((event) => event.type === 'done' || event.type === 'error')).toHaveLength(
      1,
    );
  });

  it('answers Fast Chat with the SFT adapter and continues a conversation', async () => {
    const first = await ask({ mode: 'chat', text: 'What is two plus two?' });
    expect(joined(first.events, 'text')).toBe('Four.');
    const conversation = first.events.find((event) => event.type === 'conversation');
    if (conversation?.type !== 'conversation') throw new Error('no conversation event');
    const second = await ask({ mode: 'chat', text: 'And again?', conversationId: conversation.id });
    expect(second.events[0]).toEqual({ type: 'conversation', id: conversation.id });
    const detail = (await (
      await t.api(`/api/conversations/${conversation.id}`)
    ).json()) as ConversationDetail;
    expect(detail.messages.map((message) => [message.role, message.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(detail.messages[1]?.text).toBe('Four.');
  });

  it('answers an unknown conversation with a not-found event', async () => {
    const { events } = await ask({ mode: 'chat', text: 'hi', conversationId: 'does-not-exist' });
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'not-found' } });
  });
});

describe('POST /generate and GET /api/health (the original service)', () => {
  it('answers with response, reasoning, solution, sources, mode, conversation_id and stats', async () => {
    const response = await t.api('/generate', {
      method: 'POST',
      json: { query: 'What is two plus two?', mode: 'reasoning' },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      response: '4',
      reasoning: FIXTURE_GRPO_PARTS.reasoning,
      solution: '4',
      sources: [],
      mode: 'reasoning',
      stats: { mode: 'reasoning', adapter: 'grpo', stopReason: 'eos' },
    });
    expect(body.conversation_id).toEqual(expect.any(String));

    const chat = (await (
      await t.api('/generate', { method: 'POST', json: { query: 'Hello', mode: 'chat' } })
    ).json()) as Record<string, unknown>;
    expect(chat).toMatchObject({ response: 'Four.', reasoning: '', mode: 'chat' });
  });

  it('reports the loaded model', async () => {
    const response = await t.api('/api/health');
    expect(response.status).toBe(200);
    const health = (await response.json()) as HealthInfo;
    expect(health.status).toBe('ready');
    expect(health.model).toMatchObject({ path: fixturePaths.base, architecture: 'qwen2' });
    expect(health.model?.threadReason).toEqual(expect.any(String));
    expect(health.modes).toEqual([
      { mode: 'chat', adapter: 'sft', adapterStatus: 'ready' },
      { mode: 'reasoning', adapter: 'grpo', adapterStatus: 'ready' },
      { mode: 'search', adapter: 'grpo', adapterStatus: 'ready' },
    ]);
  });

  it('queues concurrent questions instead of failing them', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(async () =>
        (await t.api('/generate', { method: 'POST', json: { query: 'Hi', mode: 'chat' } })).json(),
      ),
    );
    expect(answers.map((answer) => (answer as { response: string }).response)).toEqual([
      'Four.',
      'Four.',
      'Four.',
    ]);
  });
});

describe('OpenAI-compatible routes', () => {
  it('lists the three modes, Deep Search and Auto as models', async () => {
    const body = (await (await t.api('/v1/models')).json()) as {
      object: string;
      data: { id: string; object: string }[];
    };
    expect(body.object).toBe('list');
    expect(body.data.map((model) => model.id)).toEqual([
      'ponder-chat',
      'ponder-reasoning',
      'ponder-search',
      'ponder-research',
      'ponder-auto',
    ]);
    expect(body.data.every((model) => model.object === 'model')).toBe(true);
  });

  const messages = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is one plus one?' },
    { role: 'assistant', content: 'Two.' },
    { role: 'user', content: [{ type: 'text', text: 'What is two plus two?' }] },
  ];

  it('answers a chat.completion with reasoning_content and usage', async () => {
    const response = await t.api('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'ponder-reasoning', messages, temperature: 0.2, max_tokens: 64, top_p: 0.9 },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      id: string;
      object: string;
      model: string;
      choices: { index: number; message: Record<string, unknown>; finish_reason: string }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.object).toBe('chat.completion');
    expect(body.model).toBe('ponder-reasoning');
    expect(body.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: '4',
          reasoning_content: FIXTURE_GRPO_PARTS.reasoning,
        },
        finish_reason: 'stop',
      },
    ]);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    expect(body.usage.completion_tokens).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('streams chat.completion.chunk events ending with data: [DONE]', async () => {
    const response = await t.api('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'ponder-reasoning', messages, stream: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const { payloads } = await readSse(response);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map(
      (payload) =>
        JSON.parse(payload) as {
          id: string;
          object: string;
          choices: {
            delta: { role?: string; content?: string; reasoning_content?: string };
            finish_reason: string | null;
          }[];
          usage?: { completion_tokens: number };
        },
    );
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const deltas = chunks.map((chunk) => chunk.choices[0]?.delta);
    expect(deltas.map((delta) => delta?.reasoning_content ?? '').join('')).toBe(
      FIXTURE_GRPO_PARTS.reasoning,
    );
    expect(deltas.map((delta) => delta?.content ?? '').join('')).toBe('4');
    const last = chunks.at(-1);
    expect(last?.choices[0]?.finish_reason).toBe('stop');
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.choices[0]?.finish_reason === null)).toBe(
      true,
    );
  });

  it('answers Fast Chat through ponder-chat with plain content', async () => {
    const body = (await (
      await t.api('/v1/chat/completions', {
        method: 'POST',
        json: { model: 'ponder-chat', messages: [{ role: 'user', content: 'Hi' }] },
      })
    ).json()) as { choices: { message: Record<string, unknown> }[] };
    expect(body.choices[0]?.message).toEqual({ role: 'assistant', content: 'Four.' });
  });
});

describe('conversations and settings', () => {
  it('lists, searches, renames, pins, exports and deletes', async () => {
    const { events } = await ask({ mode: 'chat', text: 'Which colour is the zebra?' });
    const id = (events[0] as { id: string }).id;

    const list = (await (await t.api('/api/conversations')).json()) as ConversationSummary[];
    expect(list.map((conversation) => conversation.id)).toContain(id);

    const hits = (await (await t.api('/api/conversations/search?q=zebra')).json()) as {
      conversationId: string;
      snippet: { text: string; match: boolean }[];
    }[];
    expect(hits.map((hit) => hit.conversationId)).toContain(id);

    const patch = await t.api(`/api/conversations/${id}`, {
      method: 'PATCH',
      json: { title: 'Zebras', pinned: true },
    });
    expect(patch.status).toBe(204);
    const renamed = (await (await t.api(`/api/conversations/${id}`)).json()) as ConversationDetail;
    expect(renamed).toMatchObject({ title: 'Zebras', pinned: true });

    const markdown = await t.api(`/api/conversations/${id}/export?format=md`);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toContain('Which colour is the zebra?');
    const json = await t.api(`/api/conversations/all/export?format=json`);
    expect(JSON.stringify(await json.json())).toContain('zebra');

    expect((await t.api(`/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(204);
    const gone = await t.api(`/api/conversations/${id}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('not-found');
  });

  it('reads and updates settings', async () => {
    const updated = await t.api('/api/settings', { method: 'PATCH', json: { topK: 7 } });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as { topK: number }).topK).toBe(7);
    expect(((await (await t.api('/api/settings')).json()) as { topK: number }).topK).toBe(7);
  });
});
