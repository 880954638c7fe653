import { availableParallelism } from 'node:os';
import { resolveChatWrapper } from 'node-llama-cpp';
import type { LlamaModel } from 'node-llama-cpp';
import { PonderError } from '../errors';
import { checkModelFiles } from './check-model-files';
import { chooseThreads } from './choose-threads';
import type { Engine, EngineOptions } from './engine-types';
import { firstLine, isOutOfMemory, llamaError } from './engine-errors';
import { LlamaEngine } from './llama-engine';
import { loadLlama } from './load-llama';
import type { LoadedLlama } from './load-llama';

/** @see EngineOptions.contextSize */
export const DEFAULT_CONTEXT_SIZE = 4096;

async function loadModel(runtime: LoadedLlama, options: EngineOptions): Promise<LlamaModel> {
  try {
    return await runtime.llama.loadModel({
      modelPath: options.modelPath,
      gpuLayers: options.gpuLayers ?? 'auto',
      ...(options.signal ? { loadSignal: options.signal } : {}),
      ...(options.onLoadProgress ? { onLoadProgress: options.onLoadProgress } : {}),
    });
  } catch (error) {
    const detail = runtime.recentLog().at(-1);
    throw llamaError(error, `to load ${options.modelPath}${detail ? ` (${detail})` : ''}`, {
      code: 'model-invalid',
      hint: 'The file may be damaged or made for a newer llama.cpp; download it again or try another model.',
    });
  }
}

/**
 * Loads the base model once and returns the engine that serves every mode from it. The files are
 * checked before llama.cpp opens them; a GPU that cannot load the model falls back to the CPU.
 * Rejects with a PonderError: `model-missing`, `model-invalid`, `insufficient-memory`.
 */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  const files = await checkModelFiles(options.modelPath, options.adapters);
  let runtime = await loadLlama(options.gpu ?? 'auto', options.llama);
  let backendNote = '';
  let model: LlamaModel;
  try {
    model = await loadModel(runtime, options);
  } catch (error) {
    await runtime.llama.dispose();
    const retryOnCpu =
      runtime.llama.gpu !== false && !isOutOfMemory(error) && !options.signal?.aborted;
    if (!retryOnCpu) throw error;
    backendNote = `; ${runtime.backend} could not load it: ${firstLine(error)}`;
    runtime = await loadLlama(false, options.llama);
    try {
      model = await loadModel(runtime, options);
    } catch (cpuError) {
      await runtime.llama.dispose();
      throw cpuError;
    }
  }

  const { llama } = runtime;
  const choice = chooseThreads({
    requested: options.threads ?? null,
    physicalCores: llama.cpuMathCores,
    logicalCores: availableParallelism(),
    gpuLayers: model.gpuLayers,
    totalLayers: model.fileInsights.totalLayers,
    modelBytes: files.base.fileSize,
  });
  // node-llama-cpp's CPU default (at least 4) oversubscribes small machines; see chooseThreads.
  llama.maxThreads = choice.threads;

  const requestedContext = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
  if (!Number.isInteger(requestedContext) || requestedContext < 64) {
    await model.dispose();
    await llama.dispose();
    throw new PonderError('invalid-input', `Context size ${requestedContext} is too small.`, {
      hint: `Use at least 64 tokens; ${DEFAULT_CONTEXT_SIZE} is the default.`,
    });
  }
  // Beyond what the model was trained on, its answers degrade; llama.cpp would only warn.
  const trained = model.trainContextSize;
  const contextSize = trained > 0 ? Math.min(requestedContext, trained) : requestedContext;
  const chatWrapper = files.base.hasChatTemplate ? resolveChatWrapper(model) : null;

  const engine = new LlamaEngine({
    llama,
    model,
    contextSize,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    threads: choice.threads,
    threadReason: choice.reason,
    adapters: files.adapters,
    adapterErrors: files.adapterErrors,
    chatWrapper,
    architecture: files.base.architecture,
    modelPath: options.modelPath,
    backend: runtime.backend + backendNote,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.fastModes ? { fastModes: options.fastModes } : {}),
  });
  // Whether modes run on merged models is part of what a loaded engine reports (health, Settings).
  await engine.fastModesDecided();
  return engine;
}
