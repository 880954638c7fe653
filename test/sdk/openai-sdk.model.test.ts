import OpenAI, { AuthenticationError, NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_GRPO_PARTS } from '../../models/fixtures';
import { startPonderServe } from './start-ponder-serve';
import type { ServedPonder } from './start-ponder-serve';

/** Ponder's reasoning travels in `reasoning_content`, a field OpenAI's types do not name. */
type ReasoningDelta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta & {
  reasoning_content?: string;
};

let served: ServedPonder;
let client: OpenAI;
const question = [{ role: 'user' as const, content: 'What is two plus two?' }];

beforeAll(async () => {
  served = await startPonderServe();
  client = new OpenAI({ baseURL: served.baseURL, apiKey: served.token, maxRetries: 0 });
}, 180_000);
afterAll(async () => served?.stop());

describe('the OpenAI Node SDK against ponder serve', () => {
  it('gets a chat completion', async () => {
    const completion = await client.chat.completions.create({
      model: 'ponder-chat',
      messages: question,
    });
    expect(completion.choices[0]?.message.content).toBe('Four.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('streams the reasoning and the answer apart', async () => {
    const stream = await client.chat.completions.create({
      model: 'ponder-reasoning',
      messages: question,
      stream: true,
    });
    let reasoning = '';
    let content = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as ReasoningDelta | undefined;
      reasoning += delta?.reasoning_content ?? '';
      content += delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(content).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(finish).toBe('stop');
  });

  it('honours stop', async () => {
    const completion = await client.chat.completions.create({
      model: 'ponder-chat',
      messages: question,
      stop: ['.'],
    });
    expect(completion.choices[0]?.message.content).toBe('Four');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
  });

  it('aborts mid-stream, and the server answers the next question', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'ponder-reasoning', messages: question, stream: true },
      { signal: controller.signal },
    );
    let reasoning = '';
    const reading = (async () => {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as ReasoningDelta | undefined;
        reasoning += delta?.reasoning_content ?? '';
        if (reasoning !== '') controller.abort();
      }
    })();
    // The SDK ends an aborted stream quietly: the reading stops where the abort came.
    await reading;
    expect(stream.controller.signal.aborted).toBe(true);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning.length).toBeLessThan(FIXTURE_GRPO_PARTS.reasoning.length);

    const next = await client.chat.completions.create({ model: 'ponder-chat', messages: question });
    expect(next.choices[0]?.message.content).toBe('Four.');
  });

  it('refuses a wrong token with an AuthenticationError', async () => {
    const wrong = new OpenAI({
      baseURL: served.baseURL,
      apiKey: 'not-the-token-at-all',
      maxRetries: 0,
    });
    const error = await wrong.chat.completions
      .create({ model: 'ponder-chat', messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
  });

  it('names an unknown model as model_not_found, and retrieves a known one', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o', messages: question })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    await expect(client.models.retrieve('gpt-4o')).rejects.toBeInstanceOf(NotFoundError);
    expect(await client.models.retrieve('ponder-reasoning')).toMatchObject({
      id: 'ponder-reasoning',
      object: 'model',
    });
  });
});
