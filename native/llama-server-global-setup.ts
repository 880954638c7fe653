import { buildLlamaServer } from './build-llama-server';

/**
 * Vitest global setup: the remote-engine tests serve the fixture model with a real llama-server,
 * so the first `npm test` on a machine builds it (a CPU build from node-llama-cpp's llama.cpp
 * source, cached under ~/.cache/ponder/llama-server). Later runs find the cache and return at once.
 */
export default function setup(): void {
  buildLlamaServer();
}
