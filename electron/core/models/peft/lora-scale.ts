import { PonderError } from '../../errors';
import { escapeControlCharacters } from '../../security';
import type { PeftLoraConfig } from './peft-config';

/**
 * PEFT's get_pattern_key: the first rank_pattern key, then alpha_pattern key, that matches the end
 * of the module path at a dot boundary (keys are regular expressions). Both maps are then looked up
 * with that one key, exactly as LoraModel._create_and_replace does.
 */
export function patternKey(config: PeftLoraConfig, modulePath: string): string | undefined {
  const keys = [...Object.keys(config.rankPattern), ...Object.keys(config.alphaPattern)];
  for (const key of keys) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:.*\\.)?(?:${key})$`);
    } catch {
      throw new PonderError(
        'invalid-input',
        `adapter_config.json: the rank_pattern/alpha_pattern key "${escapeControlCharacters(key)}" is not a valid pattern.`,
        { hint: 'Fix or regenerate the config with PEFT.' },
      );
    }
    if (pattern.test(modulePath)) return key;
  }
  return undefined;
}

export interface ModuleScale {
  rank: number;
  alpha: number;
  /** The factor PEFT multiplies B·A by for this module. */
  scale: number;
}

/** The rank, alpha and scale PEFT uses for one module: rsLoRA, rank_pattern and alpha_pattern included. */
export function moduleScale(config: PeftLoraConfig, modulePath: string): ModuleScale {
  const key = patternKey(config, modulePath);
  const rank = (key !== undefined ? config.rankPattern[key] : undefined) ?? config.r;
  const alpha = (key !== undefined ? config.alphaPattern[key] : undefined) ?? config.loraAlpha;
  const scale = config.useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
  return { rank, alpha, scale };
}

/**
 * The single `adapter.lora.alpha` for the GGUF: llama.cpp scales each pair by alpha / rank (rank =
 * that pair's own), so the alpha that makes the default module exact is scale × r. For plain LoRA
 * that is lora_alpha itself; for rsLoRA it is lora_alpha × √r.
 */
export function ggufAlpha(config: PeftLoraConfig): number {
  const scale = config.useRslora
    ? config.loraAlpha / Math.sqrt(config.r)
    : config.loraAlpha / config.r;
  return scale * config.r;
}

/**
 * What lora_b must be multiplied by so that llama.cpp's alpha / rank equals PEFT's scale for this
 * module: exactly 1 unless rsLoRA, rank_pattern or alpha_pattern give the module another scale.
 */
export function foldFactor(
  config: PeftLoraConfig,
  modulePath: string,
  alpha = ggufAlpha(config),
): number {
  const { rank, scale } = moduleScale(config, modulePath);
  // llama.cpp reads the alpha as float32, so the factor corrects for that rounding too...
  const factor = scale / (Math.fround(alpha) / rank);
  // ...unless the correction is below what float32 weights can hold: then B stays untouched.
  return Math.abs(factor - 1) < 2 ** -22 ? 1 : factor;
}
