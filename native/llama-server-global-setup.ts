import { buildLlamaServer } from './build-llama-server';

/** Test files that start llama-server (the remote engine's) or check its build. */
const NEEDS_LLAMA_SERVER = /remote|llama-server|native/;

/**
 * True unless the run names only files that need no llama-server: `vitest run` (as in `npm test`)
 * runs everything and needs it; `vitest run electron/core/agent` does not wait for a build.
 */
export function runNeedsLlamaServer(argv: readonly string[]): boolean {
  const afterRun = argv.slice(argv.indexOf('run') + 1);
  const filters = afterRun.filter((arg) => !arg.startsWith('-') && /[/.]|test/.test(arg));
  return filters.length === 0 || filters.some((filter) => NEEDS_LLAMA_SERVER.test(filter));
}

/**
 * Vitest global setup: the remote-engine tests serve the fixture model with a real llama-server,
 * so the first `npm test` on a machine builds it (a CPU build from node-llama-cpp's llama.cpp
 * source, cached under ~/.cache/ponder/llama-server). Later runs find the cache and go on at once.
 */
export default function setup(): void {
  if (runNeedsLlamaServer(process.argv)) buildLlamaServer();
}
