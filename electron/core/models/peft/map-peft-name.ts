import { PonderError } from '../../errors';
import { escapeControlCharacters } from '../../security';

/** Where one PEFT LoRA tensor goes in a llama.cpp adapter. */
export interface MappedLoraTensor {
  /** The PEFT tensor name as saved. */
  source: string;
  /** The module path PEFT matches rank_pattern/alpha_pattern against, e.g. `model.layers.3.self_attn.q_proj`. */
  modulePath: string;
  /** The base GGUF tensor it adapts, e.g. `blk.3.attn_q.weight`. */
  target: string;
  /** Block index, or undefined for `output.weight`. */
  layer: number | undefined;
  part: 'a' | 'b';
}

const PROJECTIONS: Record<string, string> = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
};

// `.default` appears when an adapter is saved under its adapter name by older tooling.
const LORA_TENSOR = /^base_model\.model\.(.+)\.lora_([AB])(?:\.default)?\.weight$/;
const LAYER_MODULE = /^model\.layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)$/;

function unmappable(name: string, why: string): PonderError {
  return new PonderError(
    'invalid-input',
    `adapter_model.safetensors holds "${escapeControlCharacters(name)}", ${why}`,
    {
      hint: 'Ponder imports LoRAs on the attention and MLP projections and lm_head of Qwen2/Llama models; merge other adapters with PEFT instead.',
    },
  );
}

/**
 * PEFT name → llama.cpp name, as convert_lora_to_gguf.py maps it for Qwen2/Llama:
 * `base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight` → `blk.N.attn_q.weight` part a.
 * Both keep PyTorch's memory layout: lora_A [r, in] is ggml [in, r] and lora_B [out, r] is ggml
 * [r, out], which is the orientation llama.cpp's loader checks.
 */
export function mapPeftName(name: string): MappedLoraTensor {
  const match = LORA_TENSOR.exec(name);
  if (!match) {
    if (/lora_embedding_|lora_magnitude_vector/.test(name)) {
      throw unmappable(name, 'an embedding LoRA or DoRA magnitude, which llama.cpp cannot apply.');
    }
    throw unmappable(name, 'which is not a LoRA A or B matrix.');
  }
  const modulePath = match[1] as string;
  const part = match[2] === 'A' ? 'a' : 'b';
  if (modulePath === 'lm_head') {
    return { source: name, modulePath, target: 'output.weight', layer: undefined, part };
  }
  const layer = LAYER_MODULE.exec(modulePath);
  if (!layer)
    throw unmappable(name, `a LoRA on module "${modulePath}", which has no llama.cpp counterpart.`);
  const index = Number(layer[1]);
  return {
    source: name,
    modulePath,
    target: `blk.${index}.${PROJECTIONS[layer[2] as string] as string}.weight`,
    layer: index,
    part,
  };
}
