export { createRemoteEngine, remoteEngineFactory } from './remote-engine';
export type { RemoteEngine, RemoteEngineOptions } from './remote-engine';
export { forkModelHost, MODEL_HOST_ENTRY, prestartModelHost } from './fork-model-host';
export type { ForkedModelHost, ForkModelHostOptions, PrestartedModelHost } from './fork-model-host';
export type { ModelHostProcess, ModelHostSpawn } from './model-host-process';
export { CRASHED_MESSAGE } from './host-session';
export { nodeEngineFactory } from './node-engine-factory';
export { modelProcessEnv } from './model-process-env';
export type { NodeEngineFactoryOptions } from './node-engine-factory';
