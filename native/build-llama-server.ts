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
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compileTargets,
  hashSourceAndOptions,
  nodeLlamaCppSource,
  takeBuildLock,
  type LlamaCppSource,
} from './llama-source-build';

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
};

/** What a finished build records beside the binary (build.json); its presence marks the cache complete. */
export interface LlamaServerBuild {
  binary: string;
  sourceHash: string;
  commit: string;
  patches: string[];
  cmakeOptions: Record<string, string>;
  buildSeconds: number;
  cpuCount: number;
  builtAt: string;
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
  const record = path.join(cacheRoot, sourceHash(source), 'build.json');
  if (!existsSync(record)) return null;
  try {
    const build = JSON.parse(readFileSync(record, 'utf8')) as LlamaServerBuild;
    return existsSync(build.binary) ? build : null;
  } catch {
    return null;
  }
}

/** Builds into a scratch folder and renames it into place, so a build cut short never looks finished. */
export function buildLlamaServer(
  options: { force?: boolean; source?: LlamaServerSource; cacheRoot?: string } = {},
): LlamaServerBuild {
  const source = options.source ?? nodeLlamaCppSource();
  const cacheRoot = options.cacheRoot ?? llamaServerCacheRoot();
  if (!existsSync(source.bundle))
    throw new Error(`llama.cpp source bundle not found: ${source.bundle}`);
  if (!options.force) {
    const cached = readCachedLlamaServer(source, cacheRoot);
    if (cached) return cached;
  }
  const hash = sourceHash(source);
  const finalDir = path.join(cacheRoot, hash);
  const release = takeBuildLock(`${finalDir}.lock`, 'llama-server');
  try {
    // Another process may have finished the same build while this one waited for the lock.
    const done = options.force ? null : readCachedLlamaServer(source, cacheRoot);
    return (
      done ??
      compileTargets<LlamaServerBuild>({
        source,
        hash,
        finalDir,
        cacheRoot,
        cmakeOptions: LLAMA_SERVER_CMAKE_OPTIONS,
        targets: ['llama-server'],
        describe: ({ commit, buildSeconds }) => ({
          binary: path.join(finalDir, 'bin', 'llama-server'),
          sourceHash: hash,
          commit,
          patches: source.patches.map((p) => path.basename(p)),
          cmakeOptions: { ...LLAMA_SERVER_CMAKE_OPTIONS },
          buildSeconds,
          cpuCount: os.cpus().length,
          builtAt: new Date().toISOString(),
        }),
      })
    );
  } finally {
    release();
  }
}

function main(argv: string[]): void {
  if (argv.includes('--help')) {
    console.log('Usage: npm run native:llama-server -- [--force]');
    return;
  }
  const cached = argv.includes('--force') ? null : readCachedLlamaServer();
  if (cached) {
    console.log(`llama-server (cached, ${cached.commit.slice(0, 8)}): ${cached.binary}`);
    return;
  }
  console.log("Building llama-server for the CPU from node-llama-cpp's llama.cpp source…");
  const build = buildLlamaServer({ force: true });
  console.log(`llama-server built in ${build.buildSeconds} s: ${build.binary}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`llama-server build failed: ${(error as Error).message.split('\n')[0]}`);
    process.exit(1);
  }
}
