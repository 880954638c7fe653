import { HumanMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_GRPO_PARTS } from '../../models/fixtures';
import { startPonderServe } from './start-ponder-serve';
import type { ServedPonder } from './start-ponder-serve';

let served: ServedPonder;
const question = [new HumanMessage('What is two plus two?')];

const chat = (model: string, apiKey = served.token): ChatOpenAI =>
  new ChatOpenAI({ model, apiKey, maxRetries: 0, configuration: { baseURL: served.baseURL } });

beforeAll(async () => {
  served = await startPonderServe();
}, 180_000);
afterAll(async () => served?.stop());

describe('LangChain ChatOpenAI against ponder serve', () => {
  it('invokes a chat model', async () => {
    const reply = await chat('ponder-chat').invoke(question);
    expect(reply.content).toBe('Four.');
    expect(reply.response_metadata.finish_reason).toBe('stop');
  });

  it('streams the reasoning and the answer apart', async () => {
    let reasoning = '';
    let content = '';
    for await (const chunk of await chat('ponder-reasoning').stream(question)) {
      reasoning += (chunk.additional_kwargs.reasoning_content as string | undefined) ?? '';
      content += typeof chunk.content === 'string' ? chunk.content : '';
    }
    expect(reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(content).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('honours stop', async () => {
    const reply = await chat('ponder-chat').invoke(question, { stop: ['.'] });
    expect(reply.content).toBe('Four');
    expect(reply.response_metadata.finish_reason).toBe('stop');
  });

  it('keeps the reasoning format when LangChain sends its own system message', async () => {
    const reply = await chat('ponder-reasoning').invoke([
      ['system', 'You are a helpful assistant.'],
      ['human', 'What is two plus two?'],
    ]);
    expect(reply.content).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(reply.additional_kwargs.reasoning_content).toBe(FIXTURE_GRPO_PARTS.reasoning);
    // Its system message was added to the reasoning prompt, not put in its place.
    const alone = await chat('ponder-reasoning').invoke(question);
    expect(reply.usage_metadata?.input_tokens).toBeGreaterThan(
      alone.usage_metadata?.input_tokens ?? Infinity,
    );
  });

  it('aborts mid-stream, and the server answers the next question', async () => {
    const controller = new AbortController();
    let reasoning = '';
    const reading = (async () => {
      const stream = await chat('ponder-reasoning').stream(question, { signal: controller.signal });
      for await (const chunk of stream) {
        reasoning += (chunk.additional_kwargs.reasoning_content as string | undefined) ?? '';
        if (reasoning !== '') controller.abort();
      }
    })();
    await expect(reading).rejects.toThrow(/abort/i);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning.length).toBeLessThan(FIXTURE_GRPO_PARTS.reasoning.length);

    expect((await chat('ponder-chat').invoke(question)).content).toBe('Four.');
  });

  it('refuses a wrong token with a 401', async () => {
    await expect(
      chat('ponder-chat', 'not-the-token-at-all').invoke(question),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('names an unknown model as model_not_found', async () => {
    await expect(chat('gpt-4o').invoke(question)).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
  });
});
