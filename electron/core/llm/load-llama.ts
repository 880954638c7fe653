import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama, LlamaOptions } from 'node-llama-cpp';
import { localBuildLlamaOptions } from '../../../native';
import type { GpuChoice } from './engine-types';
import { llamaError } from './engine-errors';

/** The llama.cpp runtime and what it said lately (its errors explain failed loads). */
export interface LoadedLlama {
  llama: Llama;
  /** e.g. `CUDA (prebuilt)` or `CPU (local build)`. */
  backend: string;
  /** The last warnings and errors llama.cpp logged, newest last. */
  recentLog(): string[];
}

const LOG_LINES = 20;

/**
 * Ponder's defaults for `getLlama()`: never build llama.cpp at runtime (a missing binary is an
 * error, not a ten-minute compile), never download sources, and keep llama.cpp's log out of the
 * terminal. A CUDA build made by `npm run native:cuda` (for GPUs the prebuilt binary lacks code
 * for, like the H100) is used whenever the GPU is allowed. `overrides` (EngineOptions.llama) win
 * over all of it.
 */
export async function loadLlama(
  gpu: GpuChoice,
  overrides: LlamaOptions = {},
): Promise<LoadedLlama> {
  const log: string[] = [];
  const options: LlamaOptions = {
    gpu: gpu === false ? false : gpu,
    ...(gpu === 'auto' || gpu === 'cuda' ? localBuildLlamaOptions() : {}),
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      if (
        level !== LlamaLogLevel.error &&
        level !== LlamaLogLevel.warn &&
        level !== LlamaLogLevel.fatal
      )
        return;
      const line = message.trim();
      if (line === '') return;
      log.push(line);
      if (log.length > LOG_LINES) log.shift();
    },
    ...overrides,
  };
  let llama: Llama;
  try {
    llama = await getLlama(options);
  } catch (error) {
    throw llamaError(error, 'to start llama.cpp', {
      code: 'internal',
      hint: 'Reinstall Ponder (npm ci) so the llama.cpp binaries for this platform are present.',
    });
  }
  const device = llama.gpu === false ? 'CPU' : llama.gpu.toUpperCase();
  const build = llama.buildType === 'localBuild' ? 'local build' : 'prebuilt';
  return { llama, backend: `${device} (${build})`, recentLog: () => [...log] };
}
