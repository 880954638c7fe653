import { PonderError } from '../../errors';
import type { SafetensorsTensor } from '../safetensors';
import { mapPeftName } from './map-peft-name';
import type { MappedLoraTensor } from './map-peft-name';

/** One adapted base tensor: its A and B matrices as stored in the safetensors file. */
export interface LoraPair {
  target: string;
  modulePath: string;
  layer: number | undefined;
  a: SafetensorsTensor;
  b: SafetensorsTensor;
  /** Rank from the stored shapes: A is [rank, in], B is [out, rank]. */
  rank: number;
  inFeatures: number;
  outFeatures: number;
}

function refuse(message: string): PonderError {
  return new PonderError('invalid-input', message, {
    hint: 'The adapter file is incomplete or not a PEFT LoRA; save it again with save_pretrained.',
  });
}

/**
 * Groups the safetensors tensors into A/B pairs per base tensor, in block order, checking that
 * each pair is complete, two-dimensional and of one rank.
 */
export function loraPairs(tensors: SafetensorsTensor[]): LoraPair[] {
  const byTarget = new Map<
    string,
    { mapped: MappedLoraTensor; a?: SafetensorsTensor; b?: SafetensorsTensor }
  >();
  for (const tensor of tensors) {
    const mapped = mapPeftName(tensor.name);
    const entry = byTarget.get(mapped.target) ?? { mapped };
    if (entry[mapped.part])
      throw refuse(`Two tensors map to ${mapped.target}.lora_${mapped.part}.`);
    entry[mapped.part] = tensor;
    byTarget.set(mapped.target, entry);
  }
  if (byTarget.size === 0) throw refuse('adapter_model.safetensors holds no LoRA tensors.');
  const pairs: LoraPair[] = [];
  for (const [target, { mapped, a, b }] of byTarget) {
    if (!a || !b) {
      throw refuse(
        `${mapped.modulePath} has lora_${a ? 'B' : 'A'} missing; an A/B pair is needed.`,
      );
    }
    if (a.shape.length !== 2 || b.shape.length !== 2) {
      throw refuse(
        `${mapped.modulePath}: lora_A and lora_B must be matrices, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}].`,
      );
    }
    const [rank, inFeatures] = a.shape as [number, number];
    const [outFeatures, rankB] = b.shape as [number, number];
    if (rank !== rankB || rank === 0) {
      throw refuse(`${mapped.modulePath}: lora_A has rank ${rank} and lora_B rank ${rankB}.`);
    }
    pairs.push({
      target,
      modulePath: mapped.modulePath,
      layer: mapped.layer,
      a,
      b,
      rank,
      inFeatures,
      outFeatures,
    });
  }
  return pairs.sort(
    (x, y) => (x.layer ?? Infinity) - (y.layer ?? Infinity) || x.target.localeCompare(y.target),
  );
}
