import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, FIXTURE_REPLIES, fixturePaths } from '../../../../models/fixtures';
import { collectAnswer } from '../testing/collect-answer';
import { chatRequestBody } from './chat-request';
import { createRemoteEngine } from './create-remote-engine';
import { startLlamaServer, type LlamaServerProcess } from './testing/start-llama-server';

/**
 * vLLM serves each LoRA adapter as a model of its own (`--lora-modules sft=DIR grpo=DIR`) and picks
 * it by the request's `model` field. No vLLM runs here, so this checks the request Ponder sends
 * for that convention, and runs it against a llama-server that stands in for one adapter: it
 * serves the base with the SFT adapter applied under the name "sft".
 */
describe('requests for vLLM: an adapter chosen by model name', () => {
  it('names the mode’s adapter as the model and sends nothing vLLM does not read', () => {
    const body = chatRequestBody({
      mode: 'chat',
      target: { model: 'sft' },
      defaultModel: 'Qwen/Qwen2.5-1.5B-Instruct',
      systemPrompt: 'You are terse.',
      messages: [
        { role: 'user', text: 'What is 1+1?' },
        { role: 'assistant', text: 'Two.' },
        { role: 'user', text: '2+2?' },
      ],
      temperature: 0,
      maxTokens: 256,
    });
    // The shape of vLLM's OpenAI-compatible chat request: model, messages, stream, usage.
    expect(body).toEqual({
      model: 'sft',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'What is 1+1?' },
        { role: 'assistant', content: 'Two.' },
        { role: 'user', content: '2+2?' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 256,
      temperature: 0,
    });
    expect(body).not.toHaveProperty('lora');
  });

  it('samples with vLLM’s top_k/top_p/seed fields when not greedy, and falls back to the base name', () => {
    const body = chatRequestBody({
      mode: 'search',
      target: undefined,
      defaultModel: 'Qwen/Qwen2.5-1.5B-Instruct',
      systemPrompt: 'S',
      messages: [{ role: 'user', text: 'Q' }],
      temperature: 0.6,
      seed: 7,
      maxTokens: 64,
    });
    expect(body).toMatchObject({
      model: 'Qwen/Qwen2.5-1.5B-Instruct',
      temperature: 0.6,
      top_k: 40,
      top_p: 0.95,
      seed: 7,
    });
  });

  describe('against a server that serves the adapter by name', () => {
    let server: LlamaServerProcess;
    beforeAll(async () => {
      await ensureFixtures();
      // No --lora-init-without-apply: the adapter applies to every request, as "sft" does on vLLM.
      server = await startLlamaServer({
        model: fixturePaths.base,
        extra: ['--lora', fixturePaths.sft, '--alias', 'sft'],
      });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('answers the mode named "sft" with the SFT reply', async () => {
      const engine = await createRemoteEngine({
        url: `${server.url}/v1`,
        modes: { chat: { model: 'sft' } },
      });
      const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
      expect(answer.text).toBe(FIXTURE_REPLIES.sft);
      expect(answer.stats).toMatchObject({ adapter: 'sft', stopReason: 'eos' });
    });

    it('refuses a mode whose model name the server does not list', async () => {
      const engine = await createRemoteEngine({
        url: server.url,
        modes: { chat: { model: 'sft' }, reasoning: { model: 'grpo' } },
      });
      const answer = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
      expect(answer.error).toMatchObject({
        code: 'model-missing',
        message: `The engine at ${server.url} does not serve a model named "grpo" for reasoning mode; it serves: sft.`,
      });
    });
  });
});
