import { PonderError } from '../../errors';
import { fileTypeLabel } from './ggml-types';
import { metadataNumber, metadataString } from './gguf-metadata';
import type { GgufHeader, GgufMetadata } from './gguf-types';
import { readGgufHeader } from './read-gguf-header';

export interface GgufTensorSummary {
  name: string;
  /** ggml type name, e.g. `F32`, `Q4_K`. */
  type: string;
  /** ggml order: shape[0] is the row length. */
  shape: number[];
}

/** One adapted base tensor: `X` for the pair `X.lora_a` / `X.lora_b`. */
export interface LoraTarget {
  name: string;
  /** Shape of lora_a and lora_b as stored (missing when the pair is incomplete). */
  loraA?: number[];
  loraB?: number[];
  /** The shape the base tensor must have for llama.cpp to accept this pair. */
  expectedBaseShape?: number[];
}

export interface LoraSummary {
  /** `adapter.type`, `lora` for every adapter llama.cpp loads. */
  adapterType: string | undefined;
  /** `adapter.lora.alpha`; llama.cpp scales by alpha / rank (0 means scale 1). */
  loraAlpha: number;
  /** Rank of the first pair (lora_b's first dimension). */
  rank: number | undefined;
  targets: LoraTarget[];
}

export interface GgufSummary {
  path: string;
  fileSize: number;
  version: number;
  architecture: string;
  name?: string;
  type: 'model' | 'adapter';
  /** Quantisation label: from `general.file_type`, else the type holding most bytes. */
  fileType: string;
  contextLength?: number;
  hasChatTemplate: boolean;
  chatTemplate?: string;
  tensorCount: number;
  tensors: GgufTensorSummary[];
  metadata: GgufMetadata;
  adapter?: LoraSummary;
}

/**
 * Reads a GGUF model or adapter and validates its header against the file (see readGgufHeader)
 * before anything hands it to llama.cpp. Throws `model-missing` or `model-invalid`.
 */
export async function readGgufSummary(path: string): Promise<GgufSummary> {
  return summarize(await readGgufHeader(path));
}

export function summarize(header: GgufHeader): GgufSummary {
  const { metadata, path } = header;
  const architecture = metadataString(metadata, 'general.architecture');
  const splitNo = metadataNumber(metadata, 'split.no') ?? 0;
  if (!architecture && splitNo > 0) {
    const count = metadataNumber(metadata, 'split.count') ?? '?';
    throw new PonderError(
      'model-invalid',
      `${path} is part ${splitNo + 1} of ${count} of a split model`,
      {
        hint: 'Load the first part (…-00001-of-…); llama.cpp finds the others beside it.',
      },
    );
  }
  if (!architecture) {
    throw new PonderError(
      'model-invalid',
      `${header.path} has no general.architecture, so llama.cpp cannot load it`,
      {
        hint: 'Convert the model again with llama.cpp’s convert_hf_to_gguf.py.',
      },
    );
  }
  const isAdapter =
    metadataString(metadata, 'general.type') === 'adapter' ||
    metadata['adapter.type'] !== undefined;
  const name = metadataString(metadata, 'general.name');
  const contextLength = metadataNumber(metadata, `${architecture}.context_length`);
  const chatTemplate = metadataString(metadata, 'tokenizer.chat_template');
  const tensors = header.tensors.map(({ name: tensorName, type, shape }) => ({
    name: tensorName,
    type,
    shape,
  }));
  return {
    path,
    fileSize: header.fileSize,
    version: header.version,
    architecture,
    ...(name === undefined ? {} : { name }),
    type: isAdapter ? 'adapter' : 'model',
    fileType: quantisationLabel(header),
    ...(contextLength === undefined ? {} : { contextLength }),
    hasChatTemplate: chatTemplate !== undefined && chatTemplate.trim() !== '',
    ...(chatTemplate === undefined ? {} : { chatTemplate }),
    tensorCount: tensors.length,
    tensors,
    metadata,
    ...(isAdapter ? { adapter: summarizeLora(metadata, tensors) } : {}),
  };
}

function quantisationLabel(header: GgufHeader): string {
  const fileType = metadataNumber(header.metadata, 'general.file_type');
  const label = fileType === undefined ? undefined : fileTypeLabel(fileType);
  if (label) return label;
  const bytesByType = new Map<string, number>();
  for (const tensor of header.tensors) {
    bytesByType.set(tensor.type, (bytesByType.get(tensor.type) ?? 0) + tensor.byteSize);
  }
  const [dominant] = [...bytesByType].sort((a, b) => b[1] - a[1]);
  return dominant?.[0] ?? 'unknown';
}

function summarizeLora(metadata: GgufMetadata, tensors: GgufTensorSummary[]): LoraSummary {
  const pairs = new Map<string, LoraTarget>();
  for (const tensor of tensors) {
    const match = /^(.*)\.lora_([ab])$/.exec(tensor.name);
    if (!match?.[1]) continue;
    const target = pairs.get(match[1]) ?? { name: match[1] };
    if (match[2] === 'a') target.loraA = tensor.shape;
    else target.loraB = tensor.shape;
    pairs.set(match[1], target);
  }
  const targets = [...pairs.values()].map((target) => {
    const { loraA: a, loraB: b } = target;
    if (!a || !b) return target;
    // llama.cpp flips A and B for token_embd (see llm_build_inp_embd); every other tensor is W·x.
    const expectedBaseShape = target.name.endsWith('token_embd.weight')
      ? [b[1] ?? 1, a[1] ?? 1]
      : [a[0] ?? 1, b[1] ?? 1];
    return { ...target, expectedBaseShape };
  });
  const first = targets.find((target) => target.loraB !== undefined);
  return {
    adapterType: metadataString(metadata, 'adapter.type'),
    loraAlpha: metadataNumber(metadata, 'adapter.lora.alpha') ?? 0,
    rank: first?.loraB?.[0],
    targets,
  };
}
