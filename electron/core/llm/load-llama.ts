import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama, LlamaOptions } from 'node-llama-cpp';
import { localBuildLlamaOptions, localCpuBuildLlamaOptions } from '../../../native';
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

/** llama.cpp started before a load asked for it, by `startLlamaEarly`; the next load takes it. */
let early: { gpu: GpuChoice; runtime: Promise<LoadedLlama> } | undefined;

/**
 * Starts llama.cpp now, for the GPU choice a load will most likely ask for. On Linux
 * node-llama-cpp first tests its binary in a child process on every start (a second Node start and
 * a second load of the library); a model process calls this as it starts, so that test runs while
 * the parent is still opening its database and preparing the question. `loadLlama` with the same
 * choice and no overrides takes this runtime; any other load disposes of it and starts its own.
 */
export function startLlamaEarly(gpu: GpuChoice = 'auto'): void {
  if (early) return;
  const runtime = startLlama(gpu, {});
  // Nobody may ever take it (the parent went away): its failure is reported to a taker, if any.
  runtime.catch(() => undefined);
  early = { gpu, runtime };
}

/**
 * The early runtime if it serves this load: the same GPU choice, or a CPU-only load when the
 * automatic choice found no GPU and there is no CPU build of Ponder's own (`npm run native:cpu`,
 * which a CPU-only load prefers; the automatic choice loads the prebuilt CPU binary). Else it is
 * disposed of and undefined returned. Overrides (EngineOptions.llama) always get a runtime of their own.
 */
function takeEarly(gpu: GpuChoice, overrides: LlamaOptions): Promise<LoadedLlama> | undefined {
  const started = early;
  early = undefined;
  if (!started) return undefined;
  const release = (runtime: LoadedLlama): Promise<void> => runtime.llama.dispose();
  if (Object.keys(overrides).length > 0) {
    void started.runtime.then(release, () => undefined);
    return undefined;
  }
  if (started.gpu === gpu) return started.runtime;
  if (
    gpu === false &&
    started.gpu === 'auto' &&
    Object.keys(localCpuBuildLlamaOptions()).length === 0
  ) {
    return started.runtime.then(
      async (runtime) => {
        if (runtime.llama.gpu === false) return runtime;
        await release(runtime);
        return startLlama(gpu, overrides);
      },
      () => startLlama(gpu, overrides),
    );
  }
  void started.runtime.then(release, () => undefined);
  return undefined;
}

/**
 * Ponder's defaults for `getLlama()`: never build llama.cpp at runtime (a missing binary is an
 * error, not a ten-minute compile), never download sources, and keep llama.cpp's log out of the
 * terminal. A CUDA build made by `npm run native:cuda` (for GPUs the prebuilt binary lacks code
 * for, like the H100) is used whenever the GPU is allowed, and the CPU build made by
 * `npm run native:cpu` whenever it is not. `overrides` (EngineOptions.llama) win over all of it.
 */
export function loadLlama(gpu: GpuChoice, overrides: LlamaOptions = {}): Promise<LoadedLlama> {
  return takeEarly(gpu, overrides) ?? startLlama(gpu, overrides);
}

async function startLlama(gpu: GpuChoice, overrides: LlamaOptions): Promise<LoadedLlama> {
  const log: string[] = [];
  const options: LlamaOptions = {
    gpu: gpu === false ? false : gpu,
    ...(gpu === 'auto' || gpu === 'cuda' ? localBuildLlamaOptions() : {}),
    ...(gpu === false ? localCpuBuildLlamaOptions() : {}),
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
