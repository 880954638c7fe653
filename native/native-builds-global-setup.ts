import { buildLlamaServer } from './build-llama-server';
import { buildLlamaTools } from './build-llama-tools';
import { ensureCpuDecodeLoopBuild } from './decode-loop/cpu-build-cache';

/** The test files that start llama-server (the remote engine's) or check its build. */
export const LLAMA_SERVER_TEST_FILES = [
  'electron/core/llm/remote/remote-engine-modes.model.test.ts',
  'electron/core/llm/remote/remote-engine-failures.model.test.ts',
  'electron/core/llm/remote/vllm-request-shape.model.test.ts',
  'electron/core/app/remote-engine-core.model.test.ts',
  'native/build-llama-server.test.ts',
];

/** The test files that merge adapters with llama-export-lora and llama-quantize. */
export const MERGE_TEST_FILES = ['electron/core/models/merge/merge-adapter.model.test.ts'];

/** The test files that compare the native decode loop with node-llama-cpp's. */
export const DECODE_LOOP_TEST_FILES = ['electron/core/llm/decode-loop.model.test.ts'];

/**
 * True unless the run names only files other than `files`. Vitest's file filters match any path
 * containing them: `vitest run` (as in `npm test`) or `vitest run remote` needs the llama-server
 * build, `vitest run electron/core/agent` does not wait for one.
 */
export function runNeeds(argv: readonly string[], files: readonly string[]): boolean {
  const afterRun = argv.slice(argv.indexOf('run') + 1);
  const filters = afterRun
    .filter((arg) => !arg.startsWith('-') && /[/.]|test/.test(arg))
    .map((arg) => arg.replace(/^\.\//, ''));
  return (
    filters.length === 0 || filters.some((filter) => files.some((file) => file.includes(filter)))
  );
}

export function runNeedsLlamaServer(argv: readonly string[]): boolean {
  return runNeeds(argv, LLAMA_SERVER_TEST_FILES);
}

/**
 * Vitest global setup for the native builds tests use. The remote-engine tests serve the fixture
 * model with a real llama-server, the merge tests run llama.cpp's merge tools, and the decode-loop
 * tests load the CPU binding with the native decode loop. The first `npm test` on a machine builds
 * them from node-llama-cpp's llama.cpp source and caches them under ~/.cache/ponder, outside the
 * clone; later runs find the caches and go on at once.
 */
export default async function setup(): Promise<void> {
  if (runNeedsLlamaServer(process.argv)) buildLlamaServer();
  if (runNeeds(process.argv, MERGE_TEST_FILES)) buildLlamaTools();
  if (runNeeds(process.argv, DECODE_LOOP_TEST_FILES)) await ensureCpuDecodeLoopBuild();
}
