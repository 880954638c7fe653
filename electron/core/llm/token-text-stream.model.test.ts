import { getLlama } from 'node-llama-cpp';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFixtures, fixturePaths } from '../../../models/fixtures';
import { TokenTextStream } from './token-text-stream';

let llama: Llama;
let model: LlamaModel;

beforeAll(async () => {
  await ensureFixtures();
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
  // Byte-level vocabulary: every UTF-8 byte of a character is its own token.
  model = await llama.loadModel({ modelPath: fixturePaths.base });
});

afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
});

function stream(text: string, stopTexts: string[]) {
  const tokens = model.tokenize(text, false);
  const decoder = new TokenTextStream(model, stopTexts);
  const pieces: string[] = [];
  for (const token of tokens) {
    const { text: piece, stopped } = decoder.push(token);
    if (piece) pieces.push(piece);
    if (stopped) return { pieces, stopped: true };
  }
  pieces.push(decoder.flush());
  return { pieces: pieces.filter(Boolean), stopped: false };
}

describe('TokenTextStream', () => {
  it('never shows half a character when one is split over several tokens', () => {
    const text = 'café ☕ naïve 日本 🙂';
    expect(model.tokenize(text, false).length).toBeGreaterThan([...text].length);
    const { pieces } = stream(text, []);
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) expect(piece).not.toContain('\uFFFD');
  });

  it('stops at a stop text the model spells out, showing none of it', () => {
    const { pieces, stopped } = stream('The end.<|im_end|>more', ['<|im_end|>']);
    expect(stopped).toBe(true);
    expect(pieces.join('')).toBe('The end.');
  });

  it('lets text through that only starts like a stop text', () => {
    const { pieces, stopped } = stream('a <|im or <|x|>', ['<|im_end|>']);
    expect(stopped).toBe(false);
    expect(pieces.join('')).toBe('a <|im or <|x|>');
  });
});
