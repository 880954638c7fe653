import { getLlama } from 'node-llama-cpp';
import type { Llama, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { AdapterContexts } from './adapter-contexts';

let llama: Llama;
let model: LlamaModel;
let contexts: AdapterContexts;

beforeAll(async () => {
  await ensureFixtures();
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
  model = await llama.loadModel({ modelPath: fixturePaths.base });
  contexts = new AdapterContexts(model, {
    contextSize: 512,
    threads: 1,
    adapters: { sft: fixturePaths.sft, grpo: fixturePaths.grpo },
  });
});

afterAll(async () => {
  await contexts?.dispose();
  await model?.dispose();
  await llama?.dispose();
});

const PROMPT = '<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n';

/** The first tokens the sequence picks greedily after the prompt. */
async function greedy(sequence: LlamaContextSequence, count = 8): Promise<Token[]> {
  const tokens: Token[] = [];
  for await (const token of sequence.evaluate(model.tokenize(PROMPT, true))) {
    tokens.push(token);
    if (tokens.length >= count) break;
  }
  return tokens;
}

/** The same, from a context made for this adapter alone (or none). */
async function greedyInOwnContext(adapter?: string): Promise<Token[]> {
  const context = await model.createContext({
    contextSize: 512,
    sequences: 1,
    threads: 1,
    ...(adapter ? { lora: { adapters: [{ filePath: adapter }] } } : {}),
  });
  try {
    return await greedy(context.getSequence());
  } finally {
    await context.dispose();
  }
}

describe('one context for every runtime-LoRA mode', () => {
  it('serves each mode from the same sequence and empties its cache when the adapter changes', async () => {
    const chat = await contexts.get('sft');
    await greedy(chat, 2);
    expect(chat.contextTokens.length).toBeGreaterThan(0);
    // The same mode again keeps what was read, for the next turn to reuse.
    expect((await contexts.get('sft')).contextTokens.length).toBeGreaterThan(0);

    const reasoning = await contexts.get('grpo');
    expect(reasoning).toBe(chat);
    expect(reasoning.contextTokens).toEqual([]);
    expect(contexts.has('base')).toBe(true);
  });

  it('predicts after each switch exactly as a context made for that adapter does', async () => {
    const own = {
      sft: await greedyInOwnContext(fixturePaths.sft),
      grpo: await greedyInOwnContext(fixturePaths.grpo),
      base: await greedyInOwnContext(),
    };
    // The adapters change what the model says, so a stale adapter or cache would show.
    expect(own.sft).not.toEqual(own.grpo);
    expect(own.base).not.toEqual(own.sft);
    for (const key of ['sft', 'grpo', 'base', 'grpo', 'sft', 'base'] as const) {
      expect(await greedy(await contexts.get(key)), key).toEqual(own[key]);
    }
  });
});
