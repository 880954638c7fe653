import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnswerEvent } from '../../shared';
import { ensureFixtures, FIXTURE_GRPO_PARTS, fixturePaths } from '../../../models/fixtures';
import { readSse } from './testing/http-client';
import { startTestServer } from './testing/start-test-server';
import type { TestServer } from './testing/start-test-server';

let t: TestServer;
beforeAll(async () => {
  await ensureFixtures();
  t = await startTestServer({
    flags: {
      model: fixturePaths.base,
      sft: fixturePaths.sft,
      grpo: fixturePaths.grpo,
      // Nothing listens on port 9: every search fails at once.
      searchProvider: 'searxng',
      searxngUrl: 'http://127.0.0.1:9',
    },
  });
});
afterAll(async () => t?.close());

interface Completion {
  choices: { message: { content: string; reasoning_content?: string }; finish_reason: string }[];
  usage: { prompt_tokens: number };
  notices?: string[];
}

async function complete(body: Record<string, unknown>): Promise<Completion> {
  const response = await t.api('/v1/chat/completions', { method: 'POST', json: body });
  expect(response.status).toBe(200);
  return (await response.json()) as Completion;
}

describe('stop texts', () => {
  it('end a /v1 answer where the model writes them, with finish_reason "stop"', async () => {
    const body = await complete({
      model: 'ponder-chat',
      messages: [{ role: 'user', content: 'What is two plus two?' }],
      stop: '.',
    });
    expect(body.choices[0]).toMatchObject({ message: { content: 'Four' }, finish_reason: 'stop' });

    const reasoning = await complete({
      model: 'ponder-reasoning',
      messages: [{ role: 'user', content: 'What is two plus two?' }],
      stop: [' is', 'never written'],
    });
    expect(reasoning.choices[0]?.message).toEqual({
      role: 'assistant',
      content: '',
      reasoning_content: 'Two plus two',
    });
  });

  it('end /generate and /api/ask answers too', async () => {
    const generated = await t.api('/generate', {
      method: 'POST',
      json: { query: 'What is two plus two?', mode: 'reasoning', stop: ['<SOLUTION>'] },
    });
    expect(await generated.json()).toMatchObject({
      reasoning: FIXTURE_GRPO_PARTS.reasoning,
      solution: '',
      stats: { stopReason: 'stop-string' },
    });

    const asked = await t.api('/api/ask', {
      method: 'POST',
      json: { mode: 'chat', text: 'What is two plus two?', stop: 'ur' },
    });
    const events = (await readSse(asked)).payloads.map((p) => JSON.parse(p) as AnswerEvent);
    const text = events.map((event) => (event.type === 'text' ? event.text : '')).join('');
    expect(text).toBe('Fo');
    expect(events.at(-1)).toMatchObject({ type: 'done', stats: { stopReason: 'stop-string' } });
  });
});

describe('system messages', () => {
  const question = { role: 'user', content: 'What is two plus two?' };
  const system = { role: 'system', content: 'Answer in one word.' };

  it("are added to the mode's prompt, so reasoning keeps its format", async () => {
    const alone = await complete({ model: 'ponder-reasoning', messages: [question] });
    const added = await complete({ model: 'ponder-reasoning', messages: [system, question] });
    // The prompt holds both: the reasoning format and the client's message.
    expect(added.usage.prompt_tokens).toBeGreaterThan(alone.usage.prompt_tokens);
    expect(added.choices[0]?.message).toMatchObject({
      content: FIXTURE_GRPO_PARTS.solution,
      reasoning_content: FIXTURE_GRPO_PARTS.reasoning,
    });
  });

  it('replace it only when the client asks with replace_system_prompt', async () => {
    const alone = await complete({ model: 'ponder-reasoning', messages: [question] });
    const replaced = await complete({
      model: 'ponder-reasoning',
      messages: [system, question],
      replace_system_prompt: true,
    });
    expect(replaced.usage.prompt_tokens).toBeLessThan(alone.usage.prompt_tokens);
  });
});

describe('a failed search', () => {
  it('is told to a /v1 client beside the answer, streamed or not', async () => {
    const messages = [{ role: 'user', content: 'Who designed the Eiffel Tower?' }];
    const body = await complete({ model: 'ponder-search', messages });
    expect(body.notices).toEqual([
      expect.stringMatching(/^Search failed \(.+\); answering without sources\.$/),
    ]);
    expect(body.choices[0]?.message.content).toBe(FIXTURE_GRPO_PARTS.solution);

    const streamed = await t.api('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'ponder-search', messages, stream: true },
    });
    const { payloads } = await readSse(streamed);
    const final = JSON.parse(payloads.at(-2) ?? '{}') as { notices?: string[] };
    expect(final.notices).toEqual(body.notices);
  });
});
