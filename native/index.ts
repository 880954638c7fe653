export { detectNvidiaGpus, needsLocalCudaBuild, parseNvidiaSmi } from './detect-gpu';
export type { NvidiaGpu } from './detect-gpu';
export {
  localBuildLlamaOptions,
  localBuildRecordPath,
  readLocalCudaBuild,
  writeLocalCudaBuild,
} from './local-build';
export type { LocalCudaBuild } from './local-build';
