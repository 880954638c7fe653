import { describe, expect, it } from 'vitest';
import { parseModeTargets } from './parse-mode-targets';

describe('parseModeTargets', () => {
  it('reads vLLM model names and llama-server adapter ids per mode', () => {
    expect(parseModeTargets(['chat=sft', 'reasoning=grpo'], ['search=1:0.5+0', 'chat=0'])).toEqual({
      chat: { model: 'sft', lora: [{ id: 0, scale: 1 }] },
      reasoning: { model: 'grpo' },
      search: {
        lora: [
          { id: 1, scale: 0.5 },
          { id: 0, scale: 1 },
        ],
      },
    });
  });

  it('refuses an unknown mode or a malformed adapter with one line', () => {
    expect(() => parseModeTargets(['talk=sft'])).toThrow(
      '--mode-model expects MODE=VALUE, got "talk=sft".',
    );
    expect(() => parseModeTargets(['chat='])).toThrow(/MODE=VALUE/);
    expect(() => parseModeTargets([], ['chat=sft'])).toThrow(
      '--mode-lora expects MODE=ID[:SCALE], got "chat=sft".',
    );
    expect(() => parseModeTargets([], ['chat=-1'])).toThrow(/ID\[:SCALE\]/);
  });
});
