import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_GRPO_PARTS } from '../../models/fixtures';
import { startPonderServe } from './start-ponder-serve';
import type { ServedPonder } from './start-ponder-serve';

let served: ServedPonder;
let ponder: ReturnType<typeof createOpenAICompatible>;
const prompt = 'What is two plus two?';

beforeAll(async () => {
  served = await startPonderServe();
  ponder = createOpenAICompatible({
    name: 'ponder',
    baseURL: served.baseURL,
    apiKey: served.token,
  });
}, 180_000);
afterAll(async () => served?.stop());

describe('the Vercel AI SDK (openai-compatible provider) against ponder serve', () => {
  it('generates text', async () => {
    const result = await generateText({ model: ponder('ponder-chat'), prompt, maxRetries: 0 });
    expect(result.text).toBe('Four.');
    expect(result.finishReason).toBe('stop');
  });

  it('streams the reasoning and the answer apart', async () => {
    const result = streamText({ model: ponder('ponder-reasoning'), prompt, maxRetries: 0 });
    let reasoning = '';
    let text = '';
    for await (const part of result.fullStream) {
      if (part.type === 'reasoning-delta') reasoning += part.text;
      if (part.type === 'text-delta') text += part.text;
      if (part.type === 'error') throw part.error;
    }
    expect(reasoning).toBe(FIXTURE_GRPO_PARTS.reasoning);
    expect(text).toBe(FIXTURE_GRPO_PARTS.solution);
    expect(await result.finishReason).toBe('stop');
  });

  it('honours stopSequences', async () => {
    const result = await generateText({
      model: ponder('ponder-chat'),
      prompt,
      stopSequences: ['.'],
      maxRetries: 0,
    });
    expect(result.text).toBe('Four');
    expect(result.finishReason).toBe('stop');
  });

  it('aborts mid-stream, and the server answers the next question', async () => {
    const controller = new AbortController();
    const result = streamText({
      model: ponder('ponder-reasoning'),
      prompt,
      abortSignal: controller.signal,
      maxRetries: 0,
    });
    let reasoning = '';
    const seen: string[] = [];
    for await (const part of result.fullStream) {
      seen.push(part.type);
      if (part.type === 'reasoning-delta') {
        reasoning += part.text;
        controller.abort();
      }
    }
    expect(seen).toContain('abort');
    expect(seen).not.toContain('finish');
    expect(reasoning.length).toBeGreaterThan(0);
    expect(reasoning.length).toBeLessThan(FIXTURE_GRPO_PARTS.reasoning.length);

    const next = await generateText({ model: ponder('ponder-chat'), prompt, maxRetries: 0 });
    expect(next.text).toBe('Four.');
  });

  it('refuses a wrong token with a 401 it does not retry', async () => {
    const wrong = createOpenAICompatible({
      name: 'ponder',
      baseURL: served.baseURL,
      apiKey: 'not-the-token-at-all',
    });
    const error = await generateText({ model: wrong('ponder-chat'), prompt }).catch(
      (caught: unknown) => caught,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 401, isRetryable: false });
  });

  it('names an unknown model in a 404 it does not retry', async () => {
    const error = await generateText({ model: ponder('gpt-4o'), prompt }).catch(
      (caught: unknown) => caught,
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 404, isRetryable: false });
    expect((error as APICallError).message).toBe('The model "gpt-4o" does not exist.');
  });
});
