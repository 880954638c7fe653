import type { Engine, EngineOptions } from '../llm';
import { createEngineLazily } from '../llm/create-engine-lazily';
import { forkModelHost } from './fork-model-host';
import { remoteEngineFactory } from './remote-engine';
import type { RemoteEngineOptions } from './remote-engine';

export interface NodeEngineFactoryOptions extends Partial<RemoteEngineOptions> {
  /**
   * Load the model inside this process instead of a child process: slightly faster to start, but a
   * native crash in llama.cpp then ends Ponder itself. @default false (true when PONDER_MODEL_PROCESS=inline)
   */
  inProcess?: boolean;
}

/**
 * How the CLI and `ponder serve` load the model: in a child process (SECURITY row 17) unless asked
 * otherwise. Electron's main process uses `remoteEngineFactory` with `utilityProcess.fork` instead.
 */
export function nodeEngineFactory(
  options: NodeEngineFactoryOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): (engineOptions: EngineOptions) => Promise<Engine> {
  const inProcess = options.inProcess ?? env.PONDER_MODEL_PROCESS === 'inline';
  if (inProcess) return createEngineLazily;
  return remoteEngineFactory({ ...options, spawn: options.spawn ?? forkModelHost() });
}
