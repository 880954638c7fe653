import type { Engine, EngineOptions } from './engine-types';

/**
 * `createEngine`, with node-llama-cpp (about 1.3 s to import) loaded only when a model is first
 * loaded in this process. A process that runs its model elsewhere (the app's main process, the CLI
 * with a model process) never loads it at all. Import this file directly, not through the index.
 */
export async function createEngineLazily(options: EngineOptions): Promise<Engine> {
  const { createEngine } = await import('./create-engine');
  return createEngine(options);
}
