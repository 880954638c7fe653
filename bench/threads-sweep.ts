import { availableParallelism } from 'node:os';
import { chooseThreads, createEngine } from '../electron/core/llm';
import type { Engine } from '../electron/core/llm';
import { llamaBenchThreads } from './llama-bench';
import { summarize } from './stats';

export interface ThreadSweep {
  threads: number[];
  llamaBenchTps: Record<number, number>;
  engineTps: Record<number, number>;
  chosen: number;
  chosenReason: string;
  bestThreads: number;
  chosenOverBest: number;
}

async function decodeTps(engine: Engine, nGen: number, reps: number): Promise<number> {
  const values: number[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    for await (const event of engine.generate({
      mode: 'reasoning',
      systemPrompt: `sweep ${rep}`,
      messages: [{ role: 'user', text: 'Count.' }],
      maxTokens: nGen,
      seed: 1,
    })) {
      if (event.type === 'done' && rep > 0) values.push(event.stats.tokensPerSecond);
    }
  }
  return summarize(values).median;
}

/** CPU-only decode speed per thread count through llama-bench and through Ponder's engine. */
export async function sweepThreads(options: {
  model: string;
  llamaBench: string | null;
  threads?: number[];
  nGen: number;
  reps: number;
  modelBytes: number;
  /** The backend to load (with every layer on the CPU): `false` for the prebuilt CPU binary, or
   * `cuda` where only a CUDA build exists (the GPU machine). */
  gpu?: false | 'cuda';
}): Promise<ThreadSweep> {
  const logical = availableParallelism();
  const { getLlama } = await import('node-llama-cpp');
  const { localBuildLlamaOptions } = await import('../native');
  const llama = await getLlama({
    gpu: options.gpu ?? false,
    ...(options.gpu ? localBuildLlamaOptions() : {}),
    build: 'never',
    skipDownload: true,
    progressLogs: false,
  });
  const physical = llama.cpuMathCores;
  await llama.dispose();
  const choice = chooseThreads({
    physicalCores: physical,
    logicalCores: logical,
    gpuLayers: 0,
    totalLayers: 29,
    modelBytes: options.modelBytes,
  });
  const candidates = options.threads ?? [1, 2, 4, 6, 8, 12, 14, 16, logical];
  const threads = [...new Set([...candidates, choice.threads].filter((t) => t <= logical))].sort(
    (a, b) => a - b,
  );
  const llamaBenchTps = options.llamaBench
    ? await llamaBenchThreads(
        options.llamaBench,
        options.model,
        threads,
        options.nGen,
        options.reps,
      )
    : {};
  const engineTps: Record<number, number> = {};
  for (const count of threads) {
    const engine = await createEngine({
      modelPath: options.model,
      gpu: options.gpu ?? false,
      gpuLayers: 0,
      threads: count,
      contextSize: 1024,
    });
    engineTps[count] = await decodeTps(engine, options.nGen, options.reps);
    await engine.dispose();
  }
  const best = Object.entries(engineTps).reduce((a, b) => (b[1] > a[1] ? b : a), ['1', 0] as [
    string,
    number,
  ]);
  const chosenTps = engineTps[choice.threads] ?? NaN;
  return {
    threads,
    llamaBenchTps,
    engineTps,
    chosen: choice.threads,
    chosenReason: choice.reason,
    bestThreads: Number(best[0]),
    chosenOverBest: Math.round((chosenTps / best[1]) * 1000) / 1000,
  };
}
