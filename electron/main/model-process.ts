import { join } from 'node:path';
import { utilityProcess } from 'electron';
import type { EngineFactory } from '../core/app';
import { modelProcessEnv, remoteEngineFactory } from '../core/model-host';

/**
 * The model runs in an Electron utility process (SECURITY #17): a native crash in llama.cpp ends only
 * that process; the answer in flight ends with `model-crashed` and the next question starts a new one.
 * `model-host.js` is built beside this file from electron/core/model-host/model-host-entry.ts.
 */
export function utilityProcessEngineFactory(mainDir: string): EngineFactory {
  return remoteEngineFactory({
    spawn: () =>
      utilityProcess.fork(join(mainDir, 'model-host.js'), [], {
        serviceName: 'Ponder model',
        stdio: 'ignore',
        env: modelProcessEnv(process.env),
      }),
  });
}
