/**
 * Fast modes measured: a mode's LoRA merged into the base with llama.cpp's own tools
 * (`llama-export-lora`, then `llama-quantize` back to Q4_K_M), and Ponder's engine decoding on the
 * merged model. The ratio to the base's decode is what a mode costs with fast modes on (runtime
 * LoRA's cost is `adapter_decode_ratio`).
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EngineOptions } from '../electron/core/llm';
import { benchEngine, type EngineBenchSettings } from './engine-bench';
import { round } from './stats';

const run = promisify(execFile);

export interface FastModeBench {
  tools: { exportLora: string; quantize: string };
  exportSeconds: number;
  quantizeSeconds: number;
  /** The F16 intermediate llama-export-lora writes (it dequantises every tensor it merges). */
  intermediateBytes: number;
  mergedBytes: number;
  /** CPU threads the two tools ran with. */
  threads: number;
  mergedDecodeTps: number | null;
  decodeRatioToBase: number | null;
}

/** The two tools beside llama-bench (the same CMake build), or in `dir`. */
export function findMergeTools(dir: string): FastModeBench['tools'] | null {
  const exportLora = path.join(dir, 'llama-export-lora');
  const quantize = path.join(dir, 'llama-quantize');
  return existsSync(exportLora) && existsSync(quantize) ? { exportLora, quantize } : null;
}

export async function benchFastMode(options: {
  tools: FastModeBench['tools'];
  modelPath: string;
  loraPath: string;
  work: string;
  threads: number;
  baseDecodeTps: number | null;
  engine: Omit<EngineOptions, 'modelPath'>;
  settings: EngineBenchSettings;
}): Promise<FastModeBench> {
  const stem = path.basename(options.modelPath, '.gguf');
  const intermediate = path.join(options.work, `${stem}-merged-f16.gguf`);
  const merged = path.join(options.work, `${stem}-merged-q4_k_m.gguf`);
  const threads = String(options.threads);
  const big = { maxBuffer: 64 * 2 ** 20 };
  let started = performance.now();
  await run(
    options.tools.exportLora,
    ['-m', options.modelPath, '--lora', options.loraPath, '-o', intermediate, '-t', threads],
    big,
  );
  const exportSeconds = round((performance.now() - started) / 1000, 1);
  const intermediateBytes = statSync(intermediate).size;
  started = performance.now();
  await run(
    options.tools.quantize,
    ['--allow-requantize', intermediate, merged, 'Q4_K_M', threads],
    big,
  );
  const quantizeSeconds = round((performance.now() - started) / 1000, 1);
  rmSync(intermediate, { force: true });
  const engine = await benchEngine(
    { ...options.engine, modelPath: merged } as EngineOptions,
    options.settings,
  );
  const mergedDecodeTps = engine.decodeTps.median;
  return {
    tools: options.tools,
    exportSeconds,
    quantizeSeconds,
    intermediateBytes,
    threads: options.threads,
    mergedBytes: statSync(merged).size,
    mergedDecodeTps,
    decodeRatioToBase:
      mergedDecodeTps && options.baseDecodeTps
        ? round(mergedDecodeTps / options.baseDecodeTps, 3)
        : null,
  };
}
