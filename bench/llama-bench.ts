import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { round } from './stats';

const execFileAsync = promisify(execFile);

export interface LlamaBenchSettings {
  gpuLayers: number;
  threads?: number;
  nPrompt: number;
  nGen: number;
  reps: number;
  /** llama-bench's -fa: on, off or auto (its default, like node-llama-cpp's). */
  flashAttention?: 'on' | 'off' | 'auto';
}

export interface LlamaBenchResult {
  promptTps: number | null;
  promptSd: number | null;
  decodeTps: number | null;
  decodeSd: number | null;
  command: string;
  build: string | null;
}

interface Row {
  n_prompt: number;
  n_gen: number;
  avg_ts: number;
  stddev_ts: number;
  build_commit?: string;
  build_number?: number;
}

/** Raw llama.cpp speed on the same file: llama-bench -o json, pp and tg as separate tests. */
export async function runLlamaBench(
  binary: string,
  model: string,
  settings: LlamaBenchSettings,
): Promise<LlamaBenchResult> {
  const args = [
    '-m',
    model,
    '-ngl',
    String(settings.gpuLayers),
    '-r',
    String(settings.reps),
    '-o',
    'json',
  ];
  args.push('-p', String(settings.nPrompt), '-n', String(settings.nGen));
  if (settings.threads) args.push('-t', String(settings.threads));
  if (settings.flashAttention) args.push('-fa', settings.flashAttention);
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(binary, args, { maxBuffer: 64 << 20, timeout: 900_000 }));
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`llama-bench failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
  const rows = JSON.parse(stdout) as Row[];
  const pp = rows.find((row) => row.n_prompt > 0 && row.n_gen === 0);
  const tg = rows.find((row) => row.n_gen > 0 && row.n_prompt === 0);
  const first = rows[0];
  return {
    promptTps: pp ? round(pp.avg_ts) : null,
    promptSd: pp ? round(pp.stddev_ts) : null,
    decodeTps: tg ? round(tg.avg_ts) : null,
    decodeSd: tg ? round(tg.stddev_ts) : null,
    command: `llama-bench ${args.join(' ')}`,
    build: first ? `${first.build_commit ?? '?'} (${first.build_number ?? '?'})` : null,
  };
}

/** Decode speed for each thread count (CPU only), from one llama-bench call. */
export async function llamaBenchThreads(
  binary: string,
  model: string,
  threads: number[],
  nGen: number,
  reps: number,
): Promise<Record<number, number>> {
  const args = [
    '-m',
    model,
    '-ngl',
    '0',
    '-p',
    '0',
    '-n',
    String(nGen),
    '-r',
    String(reps),
    '-o',
    'json',
  ];
  args.push('-t', threads.join(','));
  const { stdout } = await execFileAsync(binary, args, { maxBuffer: 64 << 20, timeout: 900_000 });
  const rows = JSON.parse(stdout) as (Row & { n_threads: number })[];
  return Object.fromEntries(rows.map((row) => [row.n_threads, round(row.avg_ts)]));
}
