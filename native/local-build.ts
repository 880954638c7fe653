import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CPU_COMPILER_FLAGS } from './cpu-flags';

/** What `npm run native:cuda` (or `native:cpu`) built, so the engine can ask node-llama-cpp for exactly that build. */
export interface LocalCudaBuild {
  /** CMAKE_CUDA_ARCHITECTURES of the build, e.g. `90`; `cpu` for the CPU build. */
  cudaArch: string;
  /** `false` for the CPU build; older records without it are CUDA builds. */
  gpu?: 'cuda' | false;
  /** Built with Ponder's native decode loop (native/decode-loop). */
  decodeLoop?: boolean;
  /** The custom CMake options node-llama-cpp hashes into the build's folder name. */
  cmakeOptions: Record<string, string>;
  /** Folder under node_modules/node-llama-cpp/llama/localBuilds/. */
  folderName: string;
  /** Folder holding llama-addon.node and the llama.cpp libraries. */
  binDir: string;
  /** llama-bench built in the same CMake build (same commit, same flags), when asked for. */
  llamaBench: string | null;
  builtAt: string;
}

const nativeDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * The CPU build's CMake options. The option itself changes nothing in llama.cpp: node-llama-cpp
 * hashes custom options into the build folder's name, so this build gets a folder of its own and
 * the prebuilt CPU binary stays what a plain `getLlama({ gpu: false })` loads. The compiler flags
 * are in cpu-flags.ts.
 */
export const CPU_BUILD_OPTIONS: Record<string, string> = {
  PONDER_DECODE_LOOP: 'ON',
  ...CPU_COMPILER_FLAGS,
};

/**
 * Where a record lives; PONDER_NATIVE_BUILD (PONDER_NATIVE_CPU_BUILD for the CPU build) overrides
 * (a packaged app points it at its own copy).
 */
export function localBuildRecordPath(kind: 'cuda' | 'cpu' = 'cuda'): string {
  return kind === 'cuda'
    ? (process.env.PONDER_NATIVE_BUILD ?? path.join(nativeDir, 'build', 'cuda-build.json'))
    : (process.env.PONDER_NATIVE_CPU_BUILD ?? path.join(nativeDir, 'build', 'cpu-build.json'));
}

export function readLocalCudaBuild(kind: 'cuda' | 'cpu' = 'cuda'): LocalCudaBuild | null {
  const file = localBuildRecordPath(kind);
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalCudaBuild;
    return existsSync(path.join(record.binDir, 'llama-addon.node')) ? record : null;
  } catch {
    return null;
  }
}

export function writeLocalBuild(record: LocalCudaBuild): void {
  const file = localBuildRecordPath(record.gpu === false ? 'cpu' : 'cuda');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
}

/**
 * Options to spread into node-llama-cpp's `getLlama()` so it loads the local CUDA build.
 * node-llama-cpp looks for a local build before its prebuilt binaries, in a folder named after the
 * GPU type and a hash of the custom CMake options; passing the same `cmakeOptions` finds it.
 * Returns `{}` when there is no local build, which keeps node-llama-cpp's defaults.
 */
export function localBuildLlamaOptions(): {
  gpu?: 'cuda';
  cmakeOptions?: Record<string, string>;
} {
  const build = readLocalCudaBuild();
  if (!build) return {};
  return { gpu: 'cuda', cmakeOptions: build.cmakeOptions };
}

/** The same for the CPU: the build `npm run native:cpu` made, used when the GPU is off. */
export function localCpuBuildLlamaOptions(): { cmakeOptions?: Record<string, string> } {
  const build = readLocalCudaBuild('cpu');
  return build ? { cmakeOptions: build.cmakeOptions } : {};
}
