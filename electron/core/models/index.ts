export { readGgufSummary } from './gguf/gguf-summary';
export type { GgufSummary, GgufTensorSummary, LoraSummary, LoraTarget } from './gguf/gguf-summary';
export { assertAdapterFits } from './gguf/assert-adapter-fits';
export { readGgufHeader } from './gguf/read-gguf-header';
export { metadataArray, metadataNumber, metadataString } from './gguf/gguf-metadata';
export type {
  GgufArray,
  GgufHeader,
  GgufKv,
  GgufMetadata,
  GgufTensorInfo,
  GgufValue,
  GgufValueType,
} from './gguf/gguf-types';
export { ggmlTensorBytes, ggmlTypeById, ggmlTypeByName } from './gguf/ggml-types';
export type { GgmlTypeInfo } from './gguf/ggml-types';
export { kv, writeGguf } from './gguf/gguf-writer';
export type {
  Chunks,
  GgufMetadataInput,
  GgufTensorInput,
  WriteGgufOptions,
} from './gguf/gguf-writer';
export { fromFloat16Bits, toFloat16Bits } from './gguf/float16';
