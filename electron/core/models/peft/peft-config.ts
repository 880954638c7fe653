import { createHash } from 'node:crypto';
import { PonderError } from '../../errors';
import { escapeControlCharacters } from '../../security';

/** What Ponder needs from a PEFT `adapter_config.json`, after the refusals below. */
export interface PeftLoraConfig {
  r: number;
  loraAlpha: number;
  useRslora: boolean;
  /** Module-name pattern → rank, as PEFT matches it (see scale-for-module.ts). */
  rankPattern: Record<string, number>;
  /** Module-name pattern → alpha. */
  alphaPattern: Record<string, number>;
  /** A list of module names, or one regular expression PEFT matches against full module paths. */
  targetModules: string[] | string;
  baseModel: string | undefined;
  peftVersion: string | undefined;
  /** sha256 of the config file's bytes, recorded in the GGUF so the source can be traced. */
  sha256: string;
}

/** The projections llama.cpp can apply a LoRA to, by their PEFT module names. */
export const SUPPORTED_MODULES = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
  'lm_head',
] as const;

function refuse(message: string, hint: string): PonderError {
  return new PonderError('invalid-input', escapeControlCharacters(message), { hint });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positiveNumberMap(name: string, value: unknown): Record<string, number> {
  if (value === undefined || value === null) return {};
  if (
    !isRecord(value) ||
    !Object.values(value).every((item) => typeof item === 'number' && item > 0)
  ) {
    throw refuse(
      `adapter_config.json: ${name} is not a map of module names to positive numbers.`,
      'Fix or regenerate the config with PEFT.',
    );
  }
  return value as Record<string, number>;
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

/**
 * Parses a PEFT adapter_config.json (any PEFT or Unsloth version: unknown keys are ignored) and
 * refuses, with one line each, every feature whose weights are not a plain LoRA llama.cpp can run.
 */
export function parsePeftConfig(
  text: string | Buffer,
  source = 'adapter_config.json',
): PeftLoraConfig {
  const sha256 = createHash('sha256').update(text).digest('hex');
  let raw: unknown;
  try {
    raw = JSON.parse(text.toString());
  } catch {
    throw refuse(`${source} is not JSON.`, 'Point at the folder PEFT save_pretrained wrote.');
  }
  if (!isRecord(raw))
    throw refuse(
      `${source} is not a JSON object.`,
      'Point at the folder PEFT save_pretrained wrote.',
    );
  const peftType = raw.peft_type ?? 'LORA';
  if (peftType !== 'LORA') {
    throw refuse(
      `${source} describes a ${String(peftType)} adapter; Ponder imports LoRA adapters only.`,
      'Train with LoraConfig, or merge this adapter into the model with PEFT.',
    );
  }
  if (raw.use_dora === true) {
    throw refuse(
      `${source} uses DoRA (use_dora): its magnitude vector rescales whole weight columns, which a LoRA cannot express.`,
      'Merge the adapter with PEFT (merge_and_unload) and convert the merged model, or retrain with use_dora=False.',
    );
  }
  if (!isEmpty(raw.modules_to_save)) {
    throw refuse(
      `${source} saves full copies of ${JSON.stringify(raw.modules_to_save)} (modules_to_save); those are new weights, not a LoRA.`,
      'Merge the adapter with PEFT (merge_and_unload) and convert the merged model, or retrain without modules_to_save.',
    );
  }
  if (!isEmpty(raw.trainable_token_indices)) {
    throw refuse(
      `${source} trains embedding rows (trainable_token_indices), which llama.cpp adapters cannot carry.`,
      'Merge the adapter with PEFT and convert the merged model.',
    );
  }
  if (raw.lora_bias === true || (raw.bias !== undefined && raw.bias !== 'none')) {
    throw refuse(
      `${source} trains biases (lora_bias or bias="${String(raw.bias)}"); llama.cpp LoRA adapters have no bias term.`,
      'Retrain with bias="none" and lora_bias=False, or merge the adapter with PEFT.',
    );
  }
  if (raw.fan_in_fan_out === true) {
    throw refuse(
      `${source} sets fan_in_fan_out, which is for GPT-2-style Conv1D layers, not Qwen or Llama projections.`,
      'Use an adapter trained on a Qwen2/Llama model with fan_in_fan_out=False.',
    );
  }
  if (!isEmpty(raw.layer_replication) || !isEmpty(raw.target_parameters)) {
    throw refuse(
      `${source} uses layer_replication or target_parameters, which change the model beyond a LoRA.`,
      'Merge the adapter with PEFT and convert the merged model.',
    );
  }
  if (raw.use_qalora === true) {
    throw refuse(
      `${source} uses QA-LoRA (use_qalora), which pools each input in groups before lora_A; llama.cpp applies a plain LoRA.`,
      'Merge the adapter with PEFT and convert the merged model, or retrain with use_qalora=False.',
    );
  }
  if (!isEmpty(raw.alora_invocation_tokens)) {
    throw refuse(
      `${source} is an activated LoRA (alora_invocation_tokens), meant to act only after its invocation tokens; Ponder would apply it to every token.`,
      'Retrain as a plain LoRA, without alora_invocation_tokens.',
    );
  }
  const r = raw.r;
  if (typeof r !== 'number' || !Number.isInteger(r) || r <= 0) {
    throw refuse(
      `${source}: r must be a positive whole number.`,
      'Fix or regenerate the config with PEFT.',
    );
  }
  const loraAlpha = raw.lora_alpha ?? 8;
  if (typeof loraAlpha !== 'number' || !Number.isFinite(loraAlpha) || loraAlpha <= 0) {
    throw refuse(
      `${source}: lora_alpha must be a positive number.`,
      'Fix or regenerate the config with PEFT.',
    );
  }
  const targets = raw.target_modules;
  let targetModules: string[] | string;
  if (typeof targets === 'string') {
    targetModules = targets;
  } else if (
    Array.isArray(targets) &&
    targets.length > 0 &&
    targets.every((t) => typeof t === 'string')
  ) {
    const unknown = (targets as string[]).filter(
      (t) => !(SUPPORTED_MODULES as readonly string[]).includes(t),
    );
    if (unknown.length > 0) {
      throw refuse(
        `${source} targets ${unknown.join(', ')}, which Ponder cannot map to llama.cpp tensors (it maps ${SUPPORTED_MODULES.join(', ')}).`,
        'Retrain targeting only those modules, or merge the adapter with PEFT and convert the merged model.',
      );
    }
    targetModules = targets as string[];
  } else {
    throw refuse(`${source} has no target_modules.`, 'Fix or regenerate the config with PEFT.');
  }
  return {
    r,
    loraAlpha,
    useRslora: raw.use_rslora === true,
    rankPattern: positiveNumberMap('rank_pattern', raw.rank_pattern),
    alphaPattern: positiveNumberMap('alpha_pattern', raw.alpha_pattern),
    targetModules,
    baseModel:
      typeof raw.base_model_name_or_path === 'string' ? raw.base_model_name_or_path : undefined,
    peftVersion: typeof raw.peft_version === 'string' ? raw.peft_version : undefined,
    sha256,
  };
}
