import { buildLlamaServer } from './build-llama-server';

/** The test files that start llama-server (the remote engine's) or check its build. */
export const LLAMA_SERVER_TEST_FILES = [
  'electron/core/llm/remote/remote-engine-modes.model.test.ts',
  'electron/core/llm/remote/remote-engine-failures.model.test.ts',
  'electron/core/llm/remote/vllm-request-shape.model.test.ts',
  'electron/core/app/remote-engine-core.model.test.ts',
  'native/build-llama-server.test.ts',
];

/**
 * True unless the run names only files that need no llama-server. Vitest's file filters match any
 * path containing them: `vitest run` (as in `npm test`) or `vitest run remote` needs the build,
 * `vitest run electron/core/agent` does not wait for one.
 */
export function runNeedsLlamaServer(argv: readonly string[]): boolean {
  const afterRun = argv.slice(argv.indexOf('run') + 1);
  const filters = afterRun
    .filter((arg) => !arg.startsWith('-') && /[/.]|test/.test(arg))
    .map((arg) => arg.replace(/^\.\//, ''));
  return (
    filters.length === 0 ||
    filters.some((filter) => LLAMA_SERVER_TEST_FILES.some((file) => file.includes(filter)))
  );
}

/**
 * Vitest global setup: the remote-engine tests serve the fixture model with a real llama-server,
 * so the first `npm test` on a machine builds it (a CPU build from node-llama-cpp's llama.cpp
 * source, cached under ~/.cache/ponder/llama-server). Later runs find the cache and go on at once.
 */
export default function setup(): void {
  if (runNeedsLlamaServer(process.argv)) buildLlamaServer();
}
