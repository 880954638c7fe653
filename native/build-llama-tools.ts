/**
 * Builds llama.cpp's `llama-export-lora` and `llama-quantize` for the CPU from the llama.cpp source
 * node-llama-cpp ships (its git bundle, its patches applied — no network), and caches the binaries
 * outside any clone, keyed by a hash of that source and of the build options. Fast modes merge each
 * mode's LoRA adapter into the base model with them.
 *
 *   npm run native:tools            # build when the cache lacks it, print the binaries' folder
 *   npm run native:tools -- --force # rebuild from scratch
 *
 * Cache: $PONDER_LLAMA_TOOLS_CACHE, else ~/.cache/ponder/llama-tools/<source-hash>/.
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

/** CMake options: CPU only, static, nothing that could reach the network, no server. */
export const LLAMA_TOOLS_CMAKE_OPTIONS: Readonly<Record<string, string>> = {
  CMAKE_BUILD_TYPE: 'Release',
  BUILD_SHARED_LIBS: 'OFF',
  LLAMA_BUILD_TESTS: 'OFF',
  LLAMA_BUILD_EXAMPLES: 'OFF',
  LLAMA_BUILD_APP: 'OFF',
  LLAMA_BUILD_TOOLS: 'ON',
  LLAMA_BUILD_SERVER: 'OFF',
  LLAMA_OPENSSL: 'OFF',
  LLAMA_CURL: 'OFF',
  LLAMA_BUILD_UI: 'OFF',
  LLAMA_USE_PREBUILT_UI: 'OFF',
  GGML_CUDA: 'OFF',
  GGML_VULKAN: 'OFF',
  GGML_METAL: 'OFF',
  ...CPU_COMPILER_FLAGS,
};

export const LLAMA_TOOLS_TARGETS = ['llama-export-lora', 'llama-quantize'] as const;

/** What a finished build records beside the binaries (build.json); its presence marks the cache complete. */
export interface LlamaToolsBuild extends BuildRecord {
  exportLora: string;
  quantize: string;
}

export function toolsSourceHash(source: LlamaCppSource): string {
  return hashSourceAndOptions(source, LLAMA_TOOLS_CMAKE_OPTIONS);
}

export function llamaToolsCacheRoot(): string {
  return (
    process.env.PONDER_LLAMA_TOOLS_CACHE ??
    path.join(os.homedir(), '.cache', 'ponder', 'llama-tools')
  );
}

const complete = (build: LlamaToolsBuild) =>
  existsSync(build.exportLora) && existsSync(build.quantize);

/** The cached build for this source, or null when it is missing or incomplete. */
export function readCachedLlamaTools(
  source = nodeLlamaCppSource(),
  cacheRoot = llamaToolsCacheRoot(),
): LlamaToolsBuild | null {
  if (!existsSync(source.bundle)) return null;
  return readBuildRecord(path.join(cacheRoot, toolsSourceHash(source)), complete);
}

export function buildLlamaTools(
  options: { force?: boolean; source?: LlamaCppSource; cacheRoot?: string } = {},
): LlamaToolsBuild {
  return buildCached<LlamaToolsBuild>({
    what: 'llama.cpp tools',
    source: options.source ?? nodeLlamaCppSource(),
    cacheRoot: options.cacheRoot ?? llamaToolsCacheRoot(),
    cmakeOptions: LLAMA_TOOLS_CMAKE_OPTIONS,
    targets: [...LLAMA_TOOLS_TARGETS],
    force: options.force,
    read: (finalDir) => readBuildRecord(finalDir, complete),
    describe: (finalDir, record) => ({
      exportLora: path.join(finalDir, 'bin', 'llama-export-lora'),
      quantize: path.join(finalDir, 'bin', 'llama-quantize'),
      ...record,
    }),
  });
}

runBuildCommand(import.meta.url, {
  script: 'native:tools',
  entry: 'build-llama-tools',
  what: 'llama.cpp tools',
  building:
    "Building llama-export-lora and llama-quantize for the CPU from node-llama-cpp's llama.cpp source…",
  readCached: () => readCachedLlamaTools(),
  build: () => buildLlamaTools({ force: true }),
  whereIs: (build) => path.dirname(build.quantize),
});
