import { parseArgs } from 'node:util';
import { formatBytes } from '../../models/gguf/gguf-errors';
import type { CliCommand, CliIO } from '../cli-command';
import { UsageError, usageErrorFromParseArgs } from '../usage-error';

const USAGE = [
  'Usage:',
  '  ponder adapters import DIR --base MODEL.gguf [--out FILE] [--name NAME] [--f32] [--force] [--json]',
  '',
  'Converts a PEFT LoRA folder (adapter_config.json + adapter_model.safetensors, as PEFT, TRL and',
  'Unsloth save it) into a llama.cpp GGUF adapter for MODEL.gguf, with no Python. The scale stays',
  'exact for rsLoRA, rank_pattern and alpha_pattern; DoRA, modules_to_save, biases, fan_in_fan_out',
  'and pickle (.bin) weights are refused with the reason.',
  '',
  '  --base FILE   the base GGUF the adapter runs on (architecture, layers and shapes are checked)',
  '  --out FILE    where to write (default DIR/NAME-F16-LoRA.gguf)',
  '  --name NAME   the adapter name recorded in the file (default: the folder name)',
  '  --f32         write F32 weights instead of F16',
  '  --force       replace FILE when it exists',
  '  --json        print the result as JSON',
].join('\n');

const OPTIONS = {
  base: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  f32: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function progressWriter(io: CliIO): ((written: number, total: number) => void) | undefined {
  const stream = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  if (!stream.isTTY) return undefined;
  let shown = -1;
  return (written, total) => {
    const percent = Math.floor((written / total) * 100);
    if (percent === shown) return;
    shown = percent;
    const bar = '#'.repeat(Math.round(percent / 4)).padEnd(25, '.');
    stream.write(
      `\r[${bar}] ${String(percent).padStart(3)}%  ${formatBytes(written)} / ${formatBytes(total)}`,
    );
    if (written >= total) stream.write('\n');
  };
}

async function importCommand(argv: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error, 'adapters');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [dir, extra] = positionals;
  if (!dir || extra !== undefined || !values.base) {
    throw new UsageError(
      'Give one adapter folder and --base MODEL.gguf.',
      'Run `ponder adapters --help`.',
    );
  }
  const { importAndCheckAdapter } = await import('../../models/peft');
  // Imports, then makes the engine's own check on the file just written.
  const result = await importAndCheckAdapter({
    dir,
    base: values.base,
    ...(values.out ? { out: values.out } : {}),
    ...(values.name ? { name: values.name } : {}),
    type: values.f32 ? 'F32' : 'F16',
    overwrite: values.force === true,
    signal: io.signal,
    ...(values.json ? {} : { onProgress: progressWriter(io) }),
  });
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ...result, fits: values.base }, null, 2)}\n`);
    return 0;
  }
  for (const warning of result.warnings) io.stderr.write(`Warning: ${warning}\n`);
  const folded = result.folded ? `, ${result.folded} with their own scale folded into lora_b` : '';
  io.stdout.write(
    `Imported ${result.pairs} LoRA pairs (adapter.lora.alpha ${result.alpha}${folded}) → ${result.out} (${formatBytes(result.bytes)}).\n` +
      `Checked against ${values.base}: it fits. Use it with --sft FILE or --grpo FILE.\n`,
  );
  return 0;
}

export const adaptersCommand: CliCommand = {
  name: 'adapters',
  summary: 'import a PEFT LoRA folder from training as a GGUF adapter',
  usage: USAGE,
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return name ? 0 : 2;
    }
    if (name !== 'import') {
      io.stderr.write(`Unknown adapters command "${name}".\n${USAGE}\n`);
      return 2;
    }
    return importCommand(rest, io);
  },
};
