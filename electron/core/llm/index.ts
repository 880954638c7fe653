export { createEngine, DEFAULT_CONTEXT_SIZE } from './create-engine';
export type {
  Engine,
  EngineInfo,
  EngineOptions,
  GenerateRequest,
  GpuChoice,
  PrepareResult,
} from './engine-types';
export { chooseThreads } from './choose-threads';
export type { ThreadChoice, ThreadInputs } from './choose-threads';
export { systemPromptFor, REASONING_FORMAT_PROMPT } from './system-prompts';
export { checkModelFiles } from './check-model-files';
export type { CheckedFiles } from './check-model-files';
