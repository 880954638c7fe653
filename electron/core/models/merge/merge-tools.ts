import { join } from 'node:path';
import { readCachedLlamaTools } from '../../../../native/build-llama-tools';
import { PonderError } from '../../errors';
import type { MergeTools } from './merge-plan';

/** Where merged models live in the data folder. */
export function mergedModelsDir(dataDir: string): string {
  return join(dataDir, 'merged');
}

/** The llama.cpp tools built by `npm run native:tools`, or null when they are not built. */
export function findMergeTools(): MergeTools | null {
  const build = readCachedLlamaTools();
  if (!build) return null;
  return {
    exportLora: build.exportLora,
    quantize: build.quantize,
    version: `${build.commit.slice(0, 12)}-${build.sourceHash}`,
  };
}

export function requireMergeTools(): MergeTools {
  const tools = findMergeTools();
  if (!tools) {
    throw new PonderError('internal', 'The llama.cpp merge tools are not built.', {
      hint: 'Run `npm run native:tools` once (a CPU build of llama-export-lora and llama-quantize).',
    });
  }
  return tools;
}
