export { readGgufSummary } from './gguf/gguf-summary';
export type { GgufSummary, GgufTensorSummary, LoraSummary, LoraTarget } from './gguf/gguf-summary';
export { assertAdapterFits } from './gguf/assert-adapter-fits';
export { readBaseTensors } from './peft/read-base-tensors';
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
export { defaultCatalogPath, findCatalogModel, loadCatalog } from './catalog/catalog';
export type { Catalog, CatalogFile, CatalogModel } from './catalog/catalog';
export { defaultModelsDir, downloadModel } from './download/download-model';
export type {
  DownloadedModel,
  DownloadModelOptions,
  ModelDownloadProgress,
} from './download/download-model';
export { downloadFile } from './download/download-file';
export type { DownloadFileOptions, DownloadProgress } from './download/download-file';
export { resolveModelUri } from './download/resolve-model-uri';
