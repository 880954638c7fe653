/**
 * Builds node-llama-cpp's binding from the llama.cpp source node-llama-cpp ships (its git bundle,
 * no network) for chosen CUDA architectures, or for the CPU, with Ponder's native decode loop
 * (native/decode-loop), and records the build so Ponder's engine loads it.
 *
 *   npm run native:cuda                       # architectures of the GPUs nvidia-smi reports
 *   npm run native:cuda -- --arch 90          # H100 / H200 (sm_90)
 *   npm run native:cuda -- --arch "89;90" --llama-bench
 *   npm run native:cpu                        # the CPU build (used when the GPU is off)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyDecodeLoop } from './decode-loop/apply-decode-loop';
import { detectNvidiaGpus } from './detect-gpu';
import { LAZY_CUBLAS } from './lazy-cublas/lazy-cublas-patch';
import { CPU_BUILD_OPTIONS, writeLocalBuild, type LocalCudaBuild } from './local-build';
import { applySourcePatch } from './source-patch';

const USAGE = `Usage: npm run native:cuda -- [--arch 90] [--llama-bench] [--cpu]
  --arch         CMAKE_CUDA_ARCHITECTURES, e.g. 90 (H100/H200), 89 (RTX 40xx), "86;90"; default: detected GPUs
  --cpu          build for the CPU instead (no CUDA); npm run native:cpu is the same
  --llama-bench  also build llama-bench in the same CMake build (same commit and flags) for npm run bench`;

/** node_modules/node-llama-cpp (its package.json is not exported, so go up from the entry point). */
export function nodeLlamaCppDir(): string {
  const entry = createRequire(import.meta.url).resolve('node-llama-cpp');
  return path.resolve(path.dirname(entry), '..');
}

function findFile(dir: string, name: string, depth = 4): string | null {
  if (depth < 0 || !existsSync(dir)) return null;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === name && statSync(full).isFile()) return full;
    if (statSync(full).isDirectory()) {
      const found = findFile(full, name, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

/** Adds llama-bench to the CMake build node-llama-cpp just made: same cache, so same flags and objects. */
function buildLlamaBench(buildDir: string, binDir: string): string {
  const jobs = String(Math.max(1, os.cpus().length - 1));
  execFileSync('cmake', ['-DLLAMA_BUILD_TOOLS=ON', buildDir], { stdio: 'inherit' });
  execFileSync(
    'cmake',
    ['--build', buildDir, '--config', 'Release', '--target', 'llama-bench', '-j', jobs],
    {
      stdio: 'inherit',
    },
  );
  const built = findFile(buildDir, 'llama-bench');
  if (!built) throw new Error(`llama-bench was not produced under ${buildDir}`);
  // The build sets RPATH to $ORIGIN, so llama-bench must sit beside the libraries it links.
  const target = path.join(binDir, 'llama-bench');
  if (path.resolve(built) !== path.resolve(target)) {
    copyFileSync(built, target);
    // llama-bench links its logic from libllama-bench-impl.so, built beside it.
    for (const lib of readdirSync(path.dirname(built)).filter((f) => /^lib.*\.so/.test(f)))
      if (!existsSync(path.join(binDir, lib)))
        copyFileSync(path.join(path.dirname(built), lib), path.join(binDir, lib));
  }
  execFileSync('chmod', ['+x', target]);
  return target;
}

export async function buildCuda(argv: string[]): Promise<LocalCudaBuild> {
  const { values } = parseArgs({
    args: argv,
    options: {
      arch: { type: 'string' },
      'llama-bench': { type: 'boolean', default: false },
      cpu: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let arch = values.cpu ? 'cpu' : values.arch;
  if (!arch) {
    const gpus = await detectNvidiaGpus();
    if (gpus.length === 0)
      throw new Error(
        'No NVIDIA GPU found by nvidia-smi; pass --arch (for example --arch 90 for an H100).',
      );
    arch = [...new Set(gpus.map((gpu) => gpu.cudaArch))].join(';');
    console.log(`Detected ${gpus.map((gpu) => `${gpu.name} (sm_${gpu.cudaArch})`).join(', ')}`);
  }
  if (!values.cpu && !/^\d+[a-z]?(-real|-virtual)?(;\d+[a-z]?(-real|-virtual)?)*$/.test(arch))
    throw new Error(`--arch "${arch}" is not a CUDA architecture list such as 90 or "86;90".`);

  // node-llama-cpp reads custom CMake options from NODE_LLAMA_CPP_CMAKE_OPTION_* and hashes them into
  // the build folder's name; getLlama({ cmakeOptions }) with the same options finds the build again.
  const cmakeOptions: Record<string, string> = values.cpu
    ? CPU_BUILD_OPTIONS
    : { CMAKE_CUDA_ARCHITECTURES: arch };
  // Only for this build: left set, they would also steer every later getLlama() in this process
  // (and in processes it starts, such as test workers) to this build.
  const optionVariables = Object.keys(cmakeOptions).map(
    (key) => `NODE_LLAMA_CPP_CMAKE_OPTION_${key}`,
  );
  const previousValues = optionVariables.map((name) => process.env[name]);
  for (const [key, value] of Object.entries(cmakeOptions))
    process.env[`NODE_LLAMA_CPP_CMAKE_OPTION_${key}`] = value;
  const restoreOptionVariables = () =>
    optionVariables.forEach((name, i) => {
      const previous = previousValues[i];
      if (previous === undefined) delete process.env[name];
      else process.env[name] = previous;
    });

  const { BuildLlamaCppCommand, DownloadLlamaCppCommand } = await import('node-llama-cpp/commands');
  const llamaDir = path.join(nodeLlamaCppDir(), 'llama');
  try {
    if (!existsSync(path.join(llamaDir, 'llama.cpp', '.git'))) {
      // Clones from the git bundle inside node-llama-cpp (same release as its prebuilt binaries).
      await DownloadLlamaCppCommand({ skipBuild: true, noUsageExample: true });
    }
    // ggml-cuda opens cuBLAS on first use (native/lazy-cublas). It stays in the llama.cpp clone:
    // later builds in this CMake folder (llama-bench, the merge tools) would otherwise recompile
    // ggml-cuda without it. Only the CUDA backend reads the files it changes.
    if (!values.cpu) applySourcePatch(llamaDir, LAZY_CUBLAS);
    const undoPatch = applyDecodeLoop(llamaDir);
    try {
      await BuildLlamaCppCommand({ gpu: values.cpu ? false : 'cuda', noUsageExample: true });
    } finally {
      undoPatch();
    }
  } finally {
    restoreOptionVariables();
  }

  const { folderName } = JSON.parse(
    readFileSync(path.join(llamaDir, 'lastBuild.json'), 'utf8'),
  ) as {
    folderName: string;
  };
  const buildDir = path.join(llamaDir, 'localBuilds', folderName);
  const binDir = path.join(buildDir, 'Release');
  const record: LocalCudaBuild = {
    cudaArch: arch,
    gpu: values.cpu ? false : 'cuda',
    decodeLoop: true,
    cmakeOptions,
    folderName,
    binDir,
    llamaBench: values['llama-bench'] ? buildLlamaBench(buildDir, binDir) : null,
    builtAt: new Date().toISOString(),
  };
  writeLocalBuild(record);
  return record;
}

// Also when bundled as the GPU machine's .device/build-cuda.mjs; never when bundled into another script.
if (
  import.meta.url === `file://${process.argv[1]}` &&
  /build-cuda\.[cm]?[jt]s$/.test(process.argv[1] ?? '')
) {
  buildCuda(process.argv.slice(2)).then(
    (record) => {
      console.log(
        record.gpu === false
          ? `CPU build with the native decode loop ready in ${record.binDir}`
          : `CUDA build for sm_${record.cudaArch} ready in ${record.binDir}`,
      );
      console.log(
        'Ponder loads it automatically (native/local-build.ts: localBuildLlamaOptions()).',
      );
    },
    (error: unknown) => {
      console.error(
        `native:cuda failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}
