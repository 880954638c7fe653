import { PonderError } from '../../errors';
import { metadataNumber, metadataString } from '../gguf/gguf-metadata';
import type { GgufSummary } from '../gguf/gguf-summary';
import type { LoraPair } from './lora-pairs';
import { moduleScale } from './lora-scale';
import type { PeftLoraConfig } from './peft-config';

/** Architectures whose tensors carry the Qwen2/Llama projection names map-peft-name.ts writes. */
export const IMPORTABLE_ARCHITECTURES = ['qwen2', 'qwen3', 'llama', 'mistral'] as const;

function mismatch(base: GgufSummary, detail: string): PonderError {
  return new PonderError('adapter-mismatch', `The adapter does not fit ${base.path}: ${detail}`, {
    hint: 'Pass the base model GGUF the adapter was trained on (--base FILE).',
  });
}

/**
 * Refuses before anything is written: a base that is not a model of an importable architecture,
 * a layer beyond its block count, a base tensor it lacks, any shape that differs from the base, or
 * a rank that differs from what the config's r / rank_pattern says.
 */
export function checkAgainstBase(
  base: GgufSummary,
  config: PeftLoraConfig,
  pairs: LoraPair[],
): void {
  if (base.type === 'adapter') {
    throw new PonderError('invalid-input', `${base.path} is a LoRA adapter, not a base model.`, {
      hint: 'Pass the base model GGUF with --base.',
    });
  }
  if (!(IMPORTABLE_ARCHITECTURES as readonly string[]).includes(base.architecture)) {
    throw mismatch(
      base,
      `it is a ${base.architecture} model; Ponder imports PEFT adapters for ${IMPORTABLE_ARCHITECTURES.join(', ')}.`,
    );
  }
  const blocks = metadataNumber(base.metadata, `${base.architecture}.block_count`);
  const tensors = new Map(base.tensors.map((tensor) => [tensor.name, tensor]));
  for (const pair of pairs) {
    if (pair.layer !== undefined && blocks !== undefined && pair.layer >= blocks) {
      throw mismatch(base, `the adapter has layer ${pair.layer}, the base has ${blocks} layers.`);
    }
    const tensor = tensors.get(pair.target);
    if (!tensor) throw mismatch(base, `the base has no ${pair.target} for ${pair.modulePath}.`);
    const [inFeatures, outFeatures] = tensor.shape;
    if (inFeatures !== pair.inFeatures || outFeatures !== pair.outFeatures) {
      throw mismatch(
        base,
        `${pair.modulePath} maps ${pair.inFeatures} → ${pair.outFeatures} features, the base's ${pair.target} maps ${inFeatures} → ${outFeatures}.`,
      );
    }
    const { rank } = moduleScale(config, pair.modulePath);
    if (rank !== pair.rank) {
      throw new PonderError(
        'invalid-input',
        `${pair.modulePath} has rank ${pair.rank} in the weights but ${rank} in adapter_config.json (r / rank_pattern).`,
        { hint: 'Use the adapter_config.json saved with these weights.' },
      );
    }
  }
}

function traits(name: string): { size?: string; instruct: boolean } {
  const lower = name.toLowerCase();
  const size = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)b(?:$|[^a-z])/.exec(lower)?.[1];
  return { ...(size ? { size } : {}), instruct: /instruct|chat|-it\b/.test(lower) };
}

/**
 * A warning when the adapter's base_model_name_or_path and the GGUF's general.name/basename
 * disagree on size or on base vs instruct: a LoRA trained on one does not suit the other.
 */
export function baseNameWarning(base: GgufSummary, config: PeftLoraConfig): string | undefined {
  if (!config.baseModel) return undefined;
  const ggufName = [
    metadataString(base.metadata, 'general.name'),
    metadataString(base.metadata, 'general.basename'),
    metadataString(base.metadata, 'general.size_label'),
    metadataString(base.metadata, 'general.finetune'),
  ]
    .filter(Boolean)
    .join(' ');
  const wanted = traits(config.baseModel);
  const have = traits(ggufName);
  const sizeDiffers =
    wanted.size !== undefined && have.size !== undefined && wanted.size !== have.size;
  if (!ggufName || sizeDiffers || wanted.instruct !== have.instruct) {
    return `The adapter was trained on "${config.baseModel}" and the base GGUF is "${ggufName || 'unnamed'}"; an adapter trained on a base model and one trained on Instruct are not interchangeable.`;
  }
  return undefined;
}
