import type { Engine } from '../engine-types';
import { checkEngineUrl } from './check-engine-url';
import { OpenAiCompatibleEngine } from './openai-compatible-engine';
import { probeRemoteEngine } from './probe-remote-engine';
import type { RemoteEngineProbe } from './probe-remote-engine';
import { DEFAULT_IDLE_TIMEOUT_MS } from './remote-engine-options';
import type { RemoteEngineOptions } from './remote-engine-options';

/** Connecting never waits longer than this for the model list, whatever the answer time limit. */
const CONNECT_TIMEOUT_MS = 15_000;

/**
 * Lists what the server at `options.url` offers ("Test connection"): its models and, on
 * llama-server, its adapters. Rejects with one clear error: a bad address, unreachable, a refused key.
 */
export function testRemoteEngine(
  options: RemoteEngineOptions,
  signal?: AbortSignal,
): Promise<RemoteEngineProbe> {
  const base = checkEngineUrl(options.url, options.allowInsecureHttp);
  return probeRemoteEngine({
    base,
    where: base,
    headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
    timeoutMs: Math.min(CONNECT_TIMEOUT_MS, options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS),
    ...(signal ? { signal } : {}),
  });
}

/**
 * Connects to the server and returns the Engine that runs every mode there. Like createEngine, it
 * rejects when the engine cannot serve at all; a mode whose adapter is missing answers with its error.
 */
export async function createRemoteEngine(
  options: RemoteEngineOptions,
  signal?: AbortSignal,
): Promise<Engine> {
  const base = checkEngineUrl(options.url, options.allowInsecureHttp);
  const probe = await testRemoteEngine(options, signal);
  return new OpenAiCompatibleEngine(base, options, probe);
}
