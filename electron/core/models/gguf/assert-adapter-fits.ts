import { PonderError } from '../../errors';
import { metadataString } from './gguf-metadata';
import type { GgufSummary } from './gguf-summary';

const HINT = 'Use the adapter trained for this base model, or choose the base it was made for.';

function mismatch(adapter: GgufSummary, base: GgufSummary, detail: string): PonderError {
  return new PonderError(
    'adapter-mismatch',
    `Adapter ${adapter.path} does not fit ${base.path}: ${detail}`,
    {
      hint: HINT,
    },
  );
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  const length = Math.max(a.length, b.length);
  for (let index = 0; index < length; index++) {
    if ((a[index] ?? 1) !== (b[index] ?? 1)) return false;
  }
  return true;
}

/**
 * Refuses, with `adapter-mismatch`, any adapter llama.cpp would reject or apply wrongly to this
 * base. The checks mirror llama_adapter_lora_init_impl (src/llama-adapter.cpp): general.type and
 * adapter.type, architecture, every tensor a lora_a/lora_b pair (or a norm, which llama.cpp
 * skips), each pair's base tensor present, and the shapes it compares.
 */
export function assertAdapterFits(base: GgufSummary, adapter: GgufSummary): void {
  if (base.type === 'adapter') {
    throw new PonderError('model-invalid', `${base.path} is a LoRA adapter, not a base model`, {
      hint: 'Pass the base model with --model and the adapter separately.',
    });
  }
  const generalType = metadataString(adapter.metadata, 'general.type');
  if (generalType !== 'adapter') {
    throw mismatch(
      adapter,
      base,
      `it is not a LoRA adapter (general.type is "${generalType ?? 'missing'}")`,
    );
  }
  const adapterType = metadataString(adapter.metadata, 'adapter.type');
  if (adapterType !== 'lora') {
    throw mismatch(
      adapter,
      base,
      `adapter.type is "${adapterType ?? 'missing'}", llama.cpp loads only "lora"`,
    );
  }
  // llama.cpp reads the alpha with gguf_get_val_f32, which aborts the process on any other type.
  const alpha = adapter.metadata['adapter.lora.alpha'];
  if (alpha !== undefined && alpha.type !== 'float32') {
    throw mismatch(adapter, base, `adapter.lora.alpha is ${alpha.type}, llama.cpp needs float32`);
  }
  if (adapter.architecture !== base.architecture) {
    throw mismatch(
      adapter,
      base,
      `it was made for a ${adapter.architecture} model and the base is ${base.architecture}`,
    );
  }
  for (const tensor of adapter.tensors) {
    if (!/\.lora_[ab]$/.test(tensor.name) && !tensor.name.endsWith('_norm.weight')) {
      throw mismatch(adapter, base, `tensor "${tensor.name}" is neither a lora_a nor a lora_b`);
    }
  }
  const baseTensors = new Map(base.tensors.map((tensor) => [tensor.name, tensor]));
  const targets = adapter.adapter?.targets ?? [];
  if (targets.length === 0) throw mismatch(adapter, base, 'it has no LoRA tensors');
  for (const target of targets) {
    const { loraA, loraB, expectedBaseShape } = target;
    if (!loraA || !loraB || !expectedBaseShape) {
      throw mismatch(adapter, base, `tensor "${target.name}" has only one of lora_a and lora_b`);
    }
    const baseTensor = baseTensors.get(target.name);
    if (!baseTensor) {
      throw mismatch(
        adapter,
        base,
        `it adapts tensor "${target.name}", which the base model does not have`,
      );
    }
    if (!sameShape(baseTensor.shape.slice(0, 2), expectedBaseShape)) {
      throw mismatch(
        adapter,
        base,
        `tensor "${target.name}" is ${shapeText(baseTensor.shape)} in the base, the adapter expects ${shapeText(expectedBaseShape)}`,
      );
    }
    if (!target.name.endsWith('token_embd.weight') && loraA[1] !== loraB[0]) {
      throw mismatch(
        adapter,
        base,
        `tensor "${target.name}" has lora_a ${shapeText(loraA)} and lora_b ${shapeText(loraB)} of different ranks`,
      );
    }
  }
}
