export { detectNvidiaGpus, needsLocalCudaBuild, parseNvidiaSmi } from './detect-gpu';
export type { NvidiaGpu } from './detect-gpu';
export {
  localBuildLlamaOptions,
  localBuildRecordPath,
  readLocalCudaBuild,
  writeLocalBuild,
  localCpuBuildLlamaOptions,
  CPU_BUILD_OPTIONS,
} from './local-build';
export type { LocalCudaBuild } from './local-build';
