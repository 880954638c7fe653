import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, statfs, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { PonderError } from '../../errors';
import type { GpuChoice } from '../../llm/engine-types';
import type { AgreementResult } from './check-agreement';
import { INTERMEDIATE_FILE, MERGED_FILE, planMerge, QUALITY_FILE } from './merge-plan';
import type { MergePlan, MergeTools } from './merge-plan';
import { runTool } from './run-tool';

export type MergeStep = 'export' | 'quantize' | 'check';

/** Real numbers from the work itself: bytes written, tensors quantised, positions compared. */
export interface MergeProgress {
  step: MergeStep;
  done: number;
  total: number;
  unit: 'bytes' | 'tensors' | 'positions';
}

/** What quality.json beside the merged model holds. */
export interface MergeQuality {
  agreement: number;
  positions: number;
  threshold: number;
  differing: number[];
  basePath: string;
  adapterPath: string;
  /** SHA-256 of their content when merged: the engine finds this merge by them. */
  baseHash: string;
  adapterHash: string;
  baseFileType: string;
  toolsVersion: string;
  seconds: Partial<Record<MergeStep, number>>;
  mergedAt: string;
}

export interface MergeResult {
  path: string;
  /** True when everything was already in the cache. */
  cached: boolean;
  quality: MergeQuality;
  /** Steps this call ran (a resumed merge skips the finished ones). */
  ran: MergeStep[];
}

export interface MergeOptions {
  basePath: string;
  adapterPath: string;
  /** Where merged models are kept: `<data folder>/merged`. */
  cacheRoot: string;
  tools: MergeTools;
  signal?: AbortSignal;
  onProgress?: (progress: MergeProgress) => void;
  /** Free bytes on the disk holding `dir`; statfs by default. */
  freeBytes?: (dir: string) => Promise<number>;
  threads?: number;
  /** Where the quality check runs. @default 'auto' */
  gpu?: GpuChoice;
}

/** Room kept free beyond the merge's own files, for the metadata and the rest of the system. */
const DISK_MARGIN_BYTES = 64 * 1024 * 1024;

export async function diskFreeBytes(dir: string): Promise<number> {
  const info = await statfs(dir);
  return Number(info.bavail) * Number(info.bsize);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(0, Math.round(bytes / 1e3))} kB`;
}

/** The finished merge in the cache, or null. */
export async function readMergeQuality(dir: string): Promise<MergeQuality | null> {
  if (!existsSync(join(dir, MERGED_FILE))) return null;
  try {
    const quality = JSON.parse(await readFile(join(dir, QUALITY_FILE), 'utf8')) as MergeQuality;
    return quality.agreement >= quality.threshold ? quality : null;
  } catch {
    return null;
  }
}

async function removePartials(plan: MergePlan): Promise<void> {
  await rm(join(plan.dir, `${INTERMEDIATE_FILE}.partial`), { force: true });
  await rm(join(plan.dir, `${MERGED_FILE}.partial`), { force: true });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new PonderError('cancelled', 'Merge cancelled.');
}

/** Reports the growing size of `file` while `work` runs. */
async function watchSize<T>(
  file: string,
  total: number,
  report: (done: number) => void,
  work: Promise<T>,
): Promise<T> {
  let last = -1;
  const poll = async (): Promise<void> => {
    const size = await stat(file).then(
      (info) => info.size,
      () => 0,
    );
    if (size !== last) {
      last = size;
      report(Math.min(size, total));
    }
  };
  const timer = setInterval(() => void poll(), 250);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * Merges one LoRA adapter into its base with llama.cpp's own tools, so a mode can run without
 * runtime LoRA:
 *
 * 1. `llama-export-lora -m BASE --lora ADAPTER -o export-lora.gguf` (adapted tensors in F16/F32),
 * 2. `llama-quantize --allow-requantize export-lora.gguf merged.gguf <base's file type>`,
 * 3. a quality check: the merged model against base + runtime LoRA on a fixed text
 *    (`quality.json`); a merge below the threshold is deleted and refused.
 *
 * Results are cached in `<cacheRoot>/<key>/`, the key hashing the base's and adapter's content and
 * the tools' version. A finished step is not redone; a cancelled or failed step leaves no partial
 * file. Before anything runs, the free disk is checked against the sizes the steps will write.
 */
export async function mergeAdapter(options: MergeOptions): Promise<MergeResult> {
  const { signal, onProgress } = options;
  throwIfAborted(signal);
  const plan = await planMerge(options);
  const cached = await readMergeQuality(plan.dir);
  if (cached) return { path: join(plan.dir, MERGED_FILE), cached: true, quality: cached, ran: [] };

  const intermediate = join(plan.dir, INTERMEDIATE_FILE);
  const merged = join(plan.dir, MERGED_FILE);
  await mkdir(plan.dir, { recursive: true });
  await removePartials(plan);
  const needed =
    (existsSync(merged) ? 0 : plan.outputBytes) +
    (existsSync(merged) || existsSync(intermediate) ? 0 : plan.intermediateBytes);
  const free = await (options.freeBytes ?? diskFreeBytes)(plan.dir);
  if (needed > 0 && free < needed + DISK_MARGIN_BYTES) {
    throw new PonderError(
      'internal',
      `Not enough disk space to merge ${plan.adapter.path}: it needs ${formatBytes(needed + DISK_MARGIN_BYTES)} in ${options.cacheRoot} and ${formatBytes(free)} is free.`,
      { hint: 'Free some disk space, or use --data-dir on a larger disk.' },
    );
  }

  const threads = String(options.threads ?? Math.max(1, availableParallelism()));
  const seconds: Partial<Record<MergeStep, number>> = {};
  const ran: MergeStep[] = [];
  try {
    if (!existsSync(merged) && !existsSync(intermediate)) {
      const partial = `${intermediate}.partial`;
      const started = performance.now();
      const report = (done: number): void =>
        onProgress?.({ step: 'export', done, total: plan.intermediateBytes, unit: 'bytes' });
      report(0);
      await watchSize(
        partial,
        plan.intermediateBytes,
        report,
        runTool(
          options.tools.exportLora,
          ['-m', plan.base.path, '--lora', plan.adapter.path, '-o', partial, '-t', threads],
          signal ? { signal } : {},
        ),
      );
      report(plan.intermediateBytes);
      await rename(partial, intermediate);
      seconds.export = (performance.now() - started) / 1000;
      ran.push('export');
    }
    throwIfAborted(signal);
    if (!existsSync(merged)) {
      const partial = `${merged}.partial`;
      const started = performance.now();
      const total = plan.base.tensorCount;
      onProgress?.({ step: 'quantize', done: 0, total, unit: 'tensors' });
      await runTool(
        options.tools.quantize,
        ['--allow-requantize', intermediate, partial, String(plan.baseFileType), threads],
        {
          ...(signal ? { signal } : {}),
          onLine: (line) => {
            const match = /^\[\s*(\d+)\/\s*(\d+)\]/.exec(line);
            if (match)
              onProgress?.({
                step: 'quantize',
                done: Number(match[1]),
                total: Number(match[2]),
                unit: 'tensors',
              });
          },
        },
      );
      await rename(partial, merged);
      await rm(intermediate, { force: true });
      seconds.quantize = (performance.now() - started) / 1000;
      ran.push('quantize');
    }
    throwIfAborted(signal);
  } catch (error) {
    await removePartials(plan);
    throw error;
  }

  const started = performance.now();
  // The number of positions is known once the text is tokenized: total 0 means "starting".
  onProgress?.({ step: 'check', done: 0, total: 0, unit: 'positions' });
  const { agreementThreshold, measureAgreement } = await import('./check-agreement');
  const result: AgreementResult = await measureAgreement({
    basePath: plan.base.path,
    adapterPath: plan.adapter.path,
    mergedPath: merged,
    ...(options.gpu === undefined ? {} : { gpu: options.gpu }),
    ...(options.threads === undefined ? {} : { threads: options.threads }),
  });
  onProgress?.({
    step: 'check',
    done: result.positions,
    total: result.positions,
    unit: 'positions',
  });
  seconds.check = (performance.now() - started) / 1000;
  ran.push('check');
  const threshold = agreementThreshold(plan.baseFileTypeLabel);
  if (result.agreement < threshold) {
    await rm(plan.dir, { recursive: true, force: true });
    throw new PonderError(
      'internal',
      `The merged model for ${plan.adapter.path} picks the same next token as base + adapter at only ${percent(result.agreement)} of ${result.positions} positions (at least ${percent(threshold)} needed); it was deleted.`,
      { hint: 'Keep this mode on runtime LoRA (fastModes: "off").' },
    );
  }
  const quality: MergeQuality = {
    agreement: result.agreement,
    positions: result.positions,
    threshold,
    differing: result.differing,
    basePath: plan.base.path,
    adapterPath: plan.adapter.path,
    baseHash: plan.baseHash,
    adapterHash: plan.adapterHash,
    baseFileType: plan.baseFileTypeLabel,
    toolsVersion: options.tools.version,
    seconds,
    mergedAt: new Date().toISOString(),
  };
  await writeFile(join(plan.dir, QUALITY_FILE), `${JSON.stringify(quality, null, 2)}\n`);
  return { path: merged, cached: false, quality, ran };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
