/**
 * Builds llama.cpp's `llama-server` for the CPU from the llama.cpp source node-llama-cpp ships (its git
 * bundle, its patches applied — no network), and caches the binary outside any clone, keyed by a hash
 * of that source and of the build options. The remote-engine tests serve the fixture model with it.
 *
 *   npm run native:llama-server            # build when the cache lacks it, print the binary's path
 *   npm run native:llama-server -- --force # rebuild from scratch
 *
 * Cache: $PONDER_LLAMA_SERVER_CACHE, else ~/.cache/ponder/llama-server/<source-hash>/.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildCached,
  hashSourceAndOptions,
  nodeLlamaCppSource,
  readBuildRecord,
  runBuildCommand,
  type BuildRecord,
  type LlamaCppSource,
} from './llama-source-build';
import { CPU_COMPILER_FLAGS } from './cpu-flags';

export { nodeLlamaCppSource };

/**
 * CMake options of the build. Everything that could reach the network is off: no OpenSSL/curl, no web
 * UI download from Hugging Face, no npm build of the UI. Static libraries make one self-contained file.
 */
export const LLAMA_SERVER_CMAKE_OPTIONS: Readonly<Record<string, string>> = {
  CMAKE_BUILD_TYPE: 'Release',
  BUILD_SHARED_LIBS: 'OFF',
  LLAMA_BUILD_TESTS: 'OFF',
  LLAMA_BUILD_EXAMPLES: 'OFF',
  LLAMA_BUILD_APP: 'OFF',
  LLAMA_BUILD_TOOLS: 'ON',
  LLAMA_BUILD_SERVER: 'ON',
  LLAMA_OPENSSL: 'OFF',
  LLAMA_CURL: 'OFF',
  LLAMA_BUILD_UI: 'OFF',
  LLAMA_USE_PREBUILT_UI: 'OFF',
  GGML_CUDA: 'OFF',
  GGML_VULKAN: 'OFF',
  GGML_METAL: 'OFF',
  ...CPU_COMPILER_FLAGS,
};

/** What a finished build records beside the binary (build.json); its presence marks the cache complete. */
export interface LlamaServerBuild extends BuildRecord {
  binary: string;
}

export type LlamaServerSource = LlamaCppSource;

/** Changes whenever the bundle, a patch or a build option changes: each gets its own cache folder. */
export function sourceHash(source: LlamaServerSource): string {
  return hashSourceAndOptions(source, LLAMA_SERVER_CMAKE_OPTIONS);
}

export function llamaServerCacheRoot(): string {
  return (
    process.env.PONDER_LLAMA_SERVER_CACHE ??
    path.join(os.homedir(), '.cache', 'ponder', 'llama-server')
  );
}

/** The cached build for this source, or null when it is missing or incomplete. */
export function readCachedLlamaServer(
  source = nodeLlamaCppSource(),
  cacheRoot = llamaServerCacheRoot(),
): LlamaServerBuild | null {
  return readBuildRecord<LlamaServerBuild>(path.join(cacheRoot, sourceHash(source)), (build) =>
    existsSync(build.binary),
  );
}

export function buildLlamaServer(
  options: { force?: boolean; source?: LlamaServerSource; cacheRoot?: string } = {},
): LlamaServerBuild {
  return buildCached<LlamaServerBuild>({
    what: 'llama-server',
    source: options.source ?? nodeLlamaCppSource(),
    cacheRoot: options.cacheRoot ?? llamaServerCacheRoot(),
    cmakeOptions: LLAMA_SERVER_CMAKE_OPTIONS,
    targets: ['llama-server'],
    force: options.force,
    read: (finalDir) =>
      readBuildRecord<LlamaServerBuild>(finalDir, (build) => existsSync(build.binary)),
    describe: (finalDir, record) => ({
      binary: path.join(finalDir, 'bin', 'llama-server'),
      ...record,
    }),
  });
}

runBuildCommand(import.meta.url, {
  script: 'native:llama-server',
  entry: 'build-llama-server',
  what: 'llama-server',
  building: "Building llama-server for the CPU from node-llama-cpp's llama.cpp source…",
  readCached: () => readCachedLlamaServer(),
  build: () => buildLlamaServer({ force: true }),
  whereIs: (build) => build.binary,
});
