import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldFactor, ggufAlpha, moduleScale } from './lora-scale';
import { mapPeftName } from './map-peft-name';
import { parsePeftConfig } from './peft-config';

const CONFIGS = resolve(__dirname, '../../../../../shared/fixtures/peft-configs');
const SEVEN = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

describe('real adapter_config.json files from PEFT and Unsloth runs', () => {
  const files = readdirSync(CONFIGS).filter((file) => file.endsWith('.json'));
  it('are all there (three: PEFT 0.18.1, Unsloth SFT, Unsloth GRPO)', () => {
    expect(files.sort()).toEqual([
      'peft-0.18-qwen2.5-7b-instruct-r16.json',
      'unsloth-grpo-qwen2.5-7b-instruct-r32.json',
      'unsloth-qwen2.5-7b-instruct-r16.json',
    ]);
  });

  const expected: Record<string, { r: number; alpha: number; base: string; version?: string }> = {
    'peft-0.18-qwen2.5-7b-instruct-r16.json': {
      r: 16,
      alpha: 32,
      base: 'Qwen/Qwen2.5-7B-Instruct',
      version: '0.18.1',
    },
    'unsloth-grpo-qwen2.5-7b-instruct-r32.json': {
      r: 32,
      alpha: 32,
      base: 'unsloth/qwen2.5-7b-instruct-unsloth-bnb-4bit',
    },
    'unsloth-qwen2.5-7b-instruct-r16.json': {
      r: 16,
      alpha: 16,
      base: 'unsloth/qwen2.5-7b-instruct-unsloth-bnb-4bit',
    },
  };
  for (const [file, want] of Object.entries(expected)) {
    it(`parses ${file}: r ${want.r}, alpha ${want.alpha}, all seven projections, exact scale without folding`, () => {
      const config = parsePeftConfig(readFileSync(join(CONFIGS, file)));
      expect(config.r).toBe(want.r);
      expect(config.loraAlpha).toBe(want.alpha);
      expect(config.useRslora).toBe(false);
      expect(config.baseModel).toBe(want.base);
      expect(config.peftVersion).toBe(want.version);
      expect([...(config.targetModules as string[])].sort()).toEqual([...SEVEN].sort());
      expect(ggufAlpha(config)).toBe(want.alpha);
      expect(moduleScale(config, 'model.layers.27.mlp.down_proj').scale).toBe(want.alpha / want.r);
      expect(foldFactor(config, 'model.layers.0.self_attn.q_proj')).toBe(1);
    });
  }
});

describe('PEFT → llama.cpp tensor names', () => {
  it('maps the seven projections and lm_head as convert_lora_to_gguf.py does', () => {
    const names = {
      'self_attn.q_proj': 'attn_q',
      'self_attn.k_proj': 'attn_k',
      'self_attn.v_proj': 'attn_v',
      'self_attn.o_proj': 'attn_output',
      'mlp.gate_proj': 'ffn_gate',
      'mlp.up_proj': 'ffn_up',
      'mlp.down_proj': 'ffn_down',
    };
    for (const [peft, gguf] of Object.entries(names)) {
      expect(mapPeftName(`base_model.model.model.layers.12.${peft}.lora_A.weight`)).toMatchObject({
        target: `blk.12.${gguf}.weight`,
        part: 'a',
        layer: 12,
        modulePath: `model.layers.12.${peft}`,
      });
    }
    expect(mapPeftName('base_model.model.lm_head.lora_B.weight')).toMatchObject({
      target: 'output.weight',
      part: 'b',
    });
  });
});

describe('rsLoRA with the real configs’ numbers', () => {
  it('r 16, alpha 32: scale 8 instead of 2, expressed by adapter.lora.alpha 128 with no folding', () => {
    const text = readFileSync(join(CONFIGS, 'peft-0.18-qwen2.5-7b-instruct-r16.json'), 'utf8');
    const config = parsePeftConfig(JSON.stringify({ ...JSON.parse(text), use_rslora: true }));
    expect(moduleScale(config, 'model.layers.0.self_attn.q_proj').scale).toBe(8);
    expect(ggufAlpha(config)).toBe(128);
    expect(foldFactor(config, 'model.layers.0.self_attn.q_proj')).toBe(1);
  });
});
