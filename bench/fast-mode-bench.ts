/**
 * Fast modes measured as Ponder runs them: the mode's LoRA merged by the merge service
 * (`mergeAdapter`: `llama-export-lora`, `llama-quantize` back to the base's type, then the
 * agreement check against base + runtime LoRA) into a data folder, and an engine on that folder
 * with fast modes on, so the adapter's mode runs on the merged model beside the base. The
 * adapter mode's decode against the base's is what a mode costs with fast modes on (runtime
 * LoRA's cost is `adapter_decode_ratio`); the warm mode switches and resident memory are measured
 * with both models loaded.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EngineOptions } from '../electron/core/llm';
import { mergeAdapter, type MergeQuality } from '../electron/core/models/merge';
import { benchEngine, type EngineBenchResult, type EngineBenchSettings } from './engine-bench';
import { round } from './stats';

export interface FastModeBench {
  tools: { exportLora: string; quantize: string };
  exportSeconds: number | null;
  quantizeSeconds: number | null;
  checkSeconds: number | null;
  /** The merge service's agreement check, as stored beside the merged model. */
  quality: Pick<MergeQuality, 'agreement' | 'positions' | 'threshold'>;
  mergedBytes: number;
  /** CPU threads the two tools ran with. */
  threads: number;
  /** Decode in the adapter's mode, on its merged model. */
  mergedDecodeTps: number | null;
  decodeRatioToBase: number | null;
  /** What the engine said about fast modes (the merged model per role, and why). */
  fastModes: unknown;
  /** Warm switches between the base's mode and the merged mode. */
  modeSwitchMs: EngineBenchResult['modeSwitchMs'];
  memory: EngineBenchResult['memory'];
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
  const dataDir = mkdtempSync(path.join(options.work, 'fast-modes-'));
  const previousSetting = process.env.PONDER_FAST_MODES;
  try {
    const merge = await mergeAdapter({
      basePath: options.modelPath,
      adapterPath: options.loraPath,
      cacheRoot: path.join(dataDir, 'merged'),
      tools: { ...options.tools, version: 'bench' },
      threads: options.threads,
      ...(options.engine.gpu === undefined ? {} : { gpu: options.engine.gpu }),
    });
    process.env.PONDER_FAST_MODES = 'on';
    const engine = await benchEngine(
      {
        ...options.engine,
        modelPath: options.modelPath,
        adapters: { sft: options.loraPath },
        dataDir,
      } as EngineOptions,
      options.settings,
    );
    const mergedDecodeTps = engine.adapterDecodeTps.median;
    const seconds = merge.quality.seconds;
    return {
      tools: options.tools,
      exportSeconds: seconds.export === undefined ? null : round(seconds.export, 1),
      quantizeSeconds: seconds.quantize === undefined ? null : round(seconds.quantize, 1),
      checkSeconds: seconds.check === undefined ? null : round(seconds.check, 1),
      quality: {
        agreement: merge.quality.agreement,
        positions: merge.quality.positions,
        threshold: merge.quality.threshold,
      },
      mergedBytes: statSync(merge.path).size,
      threads: options.threads,
      mergedDecodeTps,
      decodeRatioToBase:
        mergedDecodeTps && options.baseDecodeTps
          ? round(mergedDecodeTps / options.baseDecodeTps, 3)
          : null,
      fastModes: engine.info.fastModes ?? null,
      modeSwitchMs: engine.modeSwitchMs,
      memory: engine.memory,
    };
  } finally {
    if (previousSetting === undefined) delete process.env.PONDER_FAST_MODES;
    else process.env.PONDER_FAST_MODES = previousSetting;
    rmSync(dataDir, { recursive: true, force: true });
  }
}
