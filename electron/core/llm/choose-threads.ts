import { availableParallelism } from 'node:os';

/** What the thread choice depends on; every field is measured or read by the caller. */
export interface ThreadInputs {
  /** Threads the user asked for (flag, environment or settings); wins when set. */
  requested?: number | null;
  /** Cores that do math: physical cores, hyper-threads not counted (node-llama-cpp's `cpuMathCores`). */
  physicalCores: number;
  /** Hardware threads the OS schedules on. @default os.availableParallelism() */
  logicalCores?: number;
  /** Layers on the GPU, and the model's total; every layer on the GPU leaves the CPU little to do. */
  gpuLayers: number;
  totalLayers: number;
  /** Bytes of weights (the GGUF file size). */
  modelBytes: number;
}

export interface ThreadChoice {
  threads: number;
  /** Why, in a sentence (shown by `ponder models inspect` and the app's About panel). */
  reason: string;
}

/**
 * Below this, one token is microseconds of work and handing it to several threads costs more than
 * it saves: on a 2-core machine stories260K (1.2 MB) made 60 tokens in ~65 ms with 1 thread, ~0.8 s
 * with 2 and ~33 s with the binding's default (4, more threads than cores, each spinning while it
 * waits for the others).
 */
const TINY_MODEL_BYTES = 64 * 1024 * 1024;
/** Decoding reads every weight once per token: past this many threads memory bandwidth, not cores, limits it. */
const MAX_CPU_THREADS = 16;
/** With every layer on the GPU the CPU only schedules work and samples. */
const MAX_OFFLOADED_THREADS = 4;

/**
 * The one place the engine's CPU thread policy lives (tuned by the thread benchmark).
 *
 * llama.cpp splits each token's work evenly and waits for the slowest thread, so a thread that the
 * OS preempts (for the window, the search, another app) stalls every token: hence physical cores
 * only, never hyper-threads, and one core left free once there are enough to spare.
 */
export function chooseThreads(inputs: ThreadInputs): ThreadChoice {
  const logical = Math.max(1, inputs.logicalCores ?? availableParallelism());
  const physical = Math.max(1, Math.min(inputs.physicalCores, logical));
  if (inputs.requested != null && inputs.requested > 0) {
    const threads = Math.floor(inputs.requested);
    const note =
      threads > logical ? ` (more than the ${logical} this machine has: expect it to be slow)` : '';
    return { threads, reason: `${threads} as configured${note}.` };
  }
  const cores = `${physical} physical core${physical === 1 ? '' : 's'}`;
  if (inputs.totalLayers > 0 && inputs.gpuLayers >= inputs.totalLayers) {
    const threads = Math.min(physical, MAX_OFFLOADED_THREADS);
    return {
      threads,
      reason: `${threads}: all ${inputs.totalLayers} layers run on the GPU, so the CPU only feeds it (${cores}).`,
    };
  }
  if (inputs.modelBytes < TINY_MODEL_BYTES) {
    return {
      threads: 1,
      reason: `1: the model is ${megabytes(inputs.modelBytes)}, too small for several threads to pay for waiting on each other (${cores}).`,
    };
  }
  const spare = physical >= 4 ? 1 : 0;
  const threads = Math.max(1, Math.min(physical - spare, MAX_CPU_THREADS));
  const why =
    spare > 0
      ? `one of ${physical} physical cores left for the app so no thread gets preempted mid-token`
      : `every one of the ${cores}; hyper-threads do not help llama.cpp`;
  const capped =
    physical - spare > MAX_CPU_THREADS
      ? `, capped at ${MAX_CPU_THREADS} where memory bandwidth limits decoding`
      : '';
  const gpu =
    inputs.gpuLayers > 0 ? ` (${inputs.gpuLayers} of ${inputs.totalLayers} layers on the GPU)` : '';
  return { threads, reason: `${threads}: ${why}${capped}${gpu}.` };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
