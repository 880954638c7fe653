import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface NvidiaGpu {
  name: string;
  /** Compute capability as nvidia-smi prints it, e.g. `9.0` for an H100. */
  computeCapability: string;
  /** The value CMAKE_CUDA_ARCHITECTURES takes for this GPU, e.g. `90`. */
  cudaArch: string;
  driverVersion: string;
  memoryMiB: number;
}

/**
 * NVIDIA GPUs on this machine, read from `nvidia-smi`; empty when there is no NVIDIA driver.
 * The compute capability decides which CUDA architecture a build must contain: the prebuilt
 * node-llama-cpp 3.21.1 CUDA binary carries no sm_90 code, so Hopper GPUs need a local build.
 */
export async function detectNvidiaGpus(signal?: AbortSignal): Promise<NvidiaGpu[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      'nvidia-smi',
      ['--query-gpu=name,compute_cap,driver_version,memory.total', '--format=csv,noheader,nounits'],
      { timeout: 10_000, signal },
    ));
  } catch {
    return [];
  }
  return parseNvidiaSmi(stdout);
}

export function parseNvidiaSmi(csv: string): NvidiaGpu[] {
  const gpus: NvidiaGpu[] = [];
  for (const line of csv.split('\n')) {
    const [name, cap, driver, memory] = line.split(',').map((part) => part.trim());
    if (!name || !cap || !/^\d+\.\d+$/.test(cap)) continue;
    gpus.push({
      name,
      computeCapability: cap,
      cudaArch: cap.replace('.', ''),
      driverVersion: driver ?? '',
      memoryMiB: Number(memory ?? 0),
    });
  }
  return gpus;
}

/**
 * Architectures with machine code (SASS) in the prebuilt node-llama-cpp 3.21.1 CUDA binary
 * (read from its libggml-cuda.so). Every other GPU depends on the driver compiling the embedded
 * PTX, which fails when the driver is older than the toolkit that built it — as on an H100 with
 * driver 580 / CUDA 13.0: "the provided PTX was compiled with an unsupported toolchain".
 */
const PREBUILT_SASS_ARCHS = new Set(['86', '89', '120', '121']);

/** Whether this GPU should get a local build (`npm run native:cuda`) instead of the prebuilt binary. */
export function needsLocalCudaBuild(gpu: NvidiaGpu): boolean {
  return !PREBUILT_SASS_ARCHS.has(gpu.cudaArch);
}
