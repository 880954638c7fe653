import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mode } from '../../../shared';
import {
  ensureFixtures,
  FIXTURE_GRPO_PARTS,
  FIXTURE_REPLIES,
  fixturePaths,
} from '../../../../models/fixtures';
import { createEngine } from '../create-engine';
import type { Engine } from '../engine-types';
import { collectAnswer, type CollectedAnswer } from '../testing/collect-answer';
import { createRemoteEngine } from './create-remote-engine';
import { startLlamaServer, type LlamaServerProcess } from './testing/start-llama-server';

/**
 * The same fixture model and adapters, once in this process (node-llama-cpp) and once behind a
 * real llama-server: every mode must give the same reply at temperature 0.
 */
let local: Engine;
let remote: Engine;
let server: LlamaServerProcess;

beforeAll(async () => {
  await ensureFixtures();
  server = await startLlamaServer({
    model: fixturePaths.base,
    loras: [fixturePaths.sft, fixturePaths.grpo],
  });
  local = await createEngine({
    modelPath: fixturePaths.base,
    adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
    gpu: false,
    threads: 1,
    contextSize: 1024,
  });
  remote = await createRemoteEngine({
    url: server.url,
    modes: {
      chat: { lora: [{ id: 0, scale: 1 }] },
      reasoning: { lora: [{ id: 1, scale: 1 }] },
      search: { lora: [{ id: 1, scale: 1 }] },
    },
  });
});

afterAll(async () => {
  await remote?.dispose();
  await local?.dispose();
  await server?.stop();
});

function reply(answer: CollectedAnswer): { text: string; reasoning: string; solution: string } {
  return { text: answer.text, reasoning: answer.reasoning, solution: answer.solution };
}

describe('remote engine on llama-server against the local engine', () => {
  it('reports the server it runs on, with each mode’s adapter', () => {
    const info = remote.info();
    expect(info.architecture).toBe('remote');
    expect(info.modelPath).toBe(server.url);
    expect(info.backend).toBe('remote (llama-server)');
    expect(info.contextSize).toBe(1024);
    expect(info.adapters).toEqual({ sft: 'lora 0×1', grpo: 'lora 1×1' });
  });

  const expected: Record<Mode, { text: string; reasoning: string; solution: string }> = {
    chat: { text: FIXTURE_REPLIES.sft, reasoning: '', solution: '' },
    reasoning: { text: '', ...FIXTURE_GRPO_PARTS },
    search: { text: '', ...FIXTURE_GRPO_PARTS },
  };

  for (const mode of ['chat', 'reasoning', 'search'] as const) {
    it(`gives the same ${mode} reply as the local engine at temperature 0`, async () => {
      const fromLocal = await collectAnswer(local, { mode, temperature: 0 });
      const fromRemote = await collectAnswer(remote, { mode, temperature: 0 });
      expect(reply(fromLocal)).toEqual(expected[mode]);
      expect(reply(fromRemote)).toEqual(reply(fromLocal));
      expect(fromRemote.error).toBeUndefined();
      expect(fromRemote.events.at(-1)?.type).toBe('done');
      expect(fromRemote.stats).toMatchObject({
        mode,
        adapter: fromLocal.stats?.adapter,
        stopReason: 'eos',
        completionTokens: fromLocal.stats?.completionTokens,
      });
      expect(fromRemote.stats?.promptTokens).toBeGreaterThan(0);
    });
  }

  it('streams reasoning in pieces before the solution, as the local engine does', async () => {
    const answer = await collectAnswer(remote, { mode: 'reasoning', temperature: 0 });
    const types = answer.events.map((event) => event.type);
    expect(types.filter((type) => type === 'reasoning').length).toBeGreaterThan(1);
    expect(types.lastIndexOf('reasoning')).toBeLessThan(types.indexOf('solution'));
  });

  it('keeps replies equal with history, a custom system prompt and mode switches', async () => {
    const messages = [
      { role: 'user' as const, text: 'What is 1+1?' },
      { role: 'assistant' as const, text: 'Two.' },
      { role: 'user' as const, text: '2+2?' },
    ];
    for (const mode of ['chat', 'reasoning', 'chat', 'search'] as const) {
      const request = { mode, temperature: 0, messages, systemPrompt: 'You are terse.' };
      const fromLocal = await collectAnswer(local, request);
      const fromRemote = await collectAnswer(remote, request);
      expect(reply(fromRemote)).toEqual(reply(fromLocal));
      expect(reply(fromRemote)).toEqual(expected[mode]);
    }
  });

  it('samples at the mode’s default temperature and still gives the fixture reply', async () => {
    const answer = await collectAnswer(remote, { mode: 'search', seed: 1 });
    expect(answer.solution).toBe(FIXTURE_GRPO_PARTS.solution);
  });

  it('counts tokens with the server’s tokenizer, as the local model does', async () => {
    const text = 'You are Ponder, a helpful assistant.';
    expect(await remote.countTokens(text)).toBe(await local.countTokens(text));
  });

  it('stops at max tokens and says so', async () => {
    const answer = await collectAnswer(remote, { mode: 'reasoning', temperature: 0, maxTokens: 3 });
    expect(answer.stats).toMatchObject({ stopReason: 'max-tokens', completionTokens: 3 });
    const local3 = await collectAnswer(local, { mode: 'reasoning', temperature: 0, maxTokens: 3 });
    expect(reply(answer)).toEqual(reply(local3));
  });
});
