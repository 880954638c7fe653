import { parseArgs } from 'node:util';
import type { AdapterRole } from '../../../shared';
import type { CliIO } from '../../cli/cli-command';
import { resolveConfig } from '../../config';
import { PonderError } from '../../errors';
import { formatBytes, mergeAdapter } from '../merge/merge-adapter';
import type { MergeProgress } from '../merge/merge-adapter';
import { mergedModelsDir, requireMergeTools } from '../merge/merge-tools';

export const MERGE_USAGE =
  'ponder models merge [--mode chat|reasoning|all] [--model FILE] [--sft FILE] [--grpo FILE] [--data-dir DIR] [--threads N] [--json]';

const ROLES: Record<string, AdapterRole[]> = {
  chat: ['sft'],
  reasoning: ['grpo'],
  all: ['sft', 'grpo'],
};

const ROLE_MODE: Record<AdapterRole, string> = { sft: 'chat', grpo: 'reasoning' };

function progressText(progress: MergeProgress): string {
  if (progress.step === 'check' && progress.total === 0)
    return '  checking   the merged model against base + LoRA on a fixed text…';
  const share = progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  const amount =
    progress.unit === 'bytes'
      ? `${formatBytes(progress.done)} / ${formatBytes(progress.total)}`
      : `${progress.done} / ${progress.total} ${progress.unit}`;
  const label = { export: 'merging', quantize: 'quantising', check: 'checking' }[progress.step];
  return `  ${label.padEnd(10)} ${`${share}%`.padStart(4)}  ${amount}`;
}

/**
 * `ponder models merge`: merges each mode's LoRA adapter into the base model (a "fast mode"), with
 * progress on stderr and, per mode, the merged model's path and its agreement with base + LoRA.
 */
export async function mergeCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: 'string' },
      model: { type: 'string' },
      sft: { type: 'string' },
      grpo: { type: 'string' },
      'data-dir': { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`Usage: ${MERGE_USAGE}\n`);
    return 0;
  }
  const roles = ROLES[values.mode ?? 'all'];
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (
    positionals.length > 0 ||
    !roles ||
    (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
  ) {
    io.stderr.write(`Usage: ${MERGE_USAGE}\n`);
    return 2;
  }
  const config = resolveConfig(
    {
      ...(values.model ? { model: values.model } : {}),
      ...(values.sft ? { sft: values.sft } : {}),
      ...(values.grpo ? { grpo: values.grpo } : {}),
      ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    },
    io.env,
  );
  if (!config.modelPath) {
    throw new PonderError('model-missing', 'No base model is set.', {
      hint: 'Pass --model FILE or choose one in Settings.',
    });
  }
  const tools = requireMergeTools();
  const results: Record<string, unknown>[] = [];
  for (const role of roles) {
    const adapterPath = role === 'sft' ? config.sftPath : config.grpoPath;
    const mode = ROLE_MODE[role];
    if (!adapterPath) {
      if (values.mode && values.mode !== 'all') {
        throw new PonderError('adapter-missing', `No ${role.toUpperCase()} adapter is set.`, {
          hint: `Pass --${role} FILE or choose one in Settings.`,
        });
      }
      io.stderr.write(`${mode}: no ${role.toUpperCase()} adapter set, skipped.\n`);
      continue;
    }
    io.stderr.write(`${mode}: merging ${adapterPath} into ${config.modelPath}\n`);
    let last = '';
    const result = await mergeAdapter({
      basePath: config.modelPath,
      adapterPath,
      cacheRoot: mergedModelsDir(config.dataDir),
      tools,
      signal: io.signal,
      ...(threads === undefined ? {} : { threads }),
      onProgress: (progress) => {
        // One line per step and whole percent: a log, not a redrawn bar, so it reads well in CI too.
        const key = `${progress.step}:${progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0}`;
        if (key !== last) io.stderr.write(`${progressText(progress)}\n`);
        last = key;
      },
    });
    const agreement = `${(result.quality.agreement * 100).toFixed(1)}%`;
    results.push({ mode, role, path: result.path, cached: result.cached, ...result.quality });
    if (!values.json) {
      io.stdout.write(
        `${mode}: ${result.path}\n  agreement with base + LoRA: ${agreement} of ${result.quality.positions} tokens (threshold ${(result.quality.threshold * 100).toFixed(0)}%)${result.cached ? ', from the cache' : ''}\n`,
      );
    }
  }
  if (values.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return 0;
}
