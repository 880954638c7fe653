export { createRemoteEngine, testRemoteEngine } from './create-remote-engine';
export { OpenAiCompatibleEngine, describeTarget } from './openai-compatible-engine';
export { checkEngineUrl, isPrivateHost } from './check-engine-url';
export { parseModeTargets } from './parse-mode-targets';
export { chatRequestBody } from './chat-request';
export type { ChatCompletionBody } from './chat-request';
export type { RemoteEngineProbe } from './probe-remote-engine';
export type { RemoteEngineOptions, RemoteModeTarget } from './remote-engine-options';
export { DEFAULT_IDLE_TIMEOUT_MS } from './remote-engine-options';
