import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm run native:cuda` built, so the engine can ask node-llama-cpp for exactly that build. */
export interface LocalCudaBuild {
  /** CMAKE_CUDA_ARCHITECTURES of the build, e.g. `90`. */
  cudaArch: string;
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

/** Where the record lives; PONDER_NATIVE_BUILD overrides (a packaged app points it at its own copy). */
export function localBuildRecordPath(): string {
  return process.env.PONDER_NATIVE_BUILD ?? path.join(nativeDir, 'build', 'cuda-build.json');
}

export function readLocalCudaBuild(): LocalCudaBuild | null {
  const file = localBuildRecordPath();
  if (!existsSync(file)) return null;
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as LocalCudaBuild;
    return existsSync(path.join(record.binDir, 'llama-addon.node')) ? record : null;
  } catch {
    return null;
  }
}

export function writeLocalCudaBuild(record: LocalCudaBuild): void {
  const file = localBuildRecordPath();
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
