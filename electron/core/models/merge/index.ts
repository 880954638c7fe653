export { diskFreeBytes, formatBytes, mergeAdapter, readMergeQuality } from './merge-adapter';
export type {
  MergeOptions,
  MergeProgress,
  MergeQuality,
  MergeResult,
  MergeStep,
} from './merge-adapter';
export { contentHash, MERGED_FILE, planMerge, QUALITY_FILE } from './merge-plan';
export type { MergePlan, MergeTools } from './merge-plan';
export { findMergeTools, mergedModelsDir, requireMergeTools } from './merge-tools';
