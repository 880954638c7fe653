import { formatAppError, toAppError } from '../errors';
import type { CliCommand, CliIO } from './cli-command';
import { terminalSafe } from './terminal-text';
import { EXIT_USAGE, UsageError } from './usage-error';
import { InvalidOptionError } from '../config/invalid-option';

/** Loaded on demand so `ponder history` never pays for loading llama.cpp. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  ask: async () => (await import('./commands/ask')).askCommand,
  models: async () => (await import('./commands/models')).modelsCommand,
  history: async () => (await import('./commands/history')).historyCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  eval: async () => (await import('./commands/eval')).evalCommand,
  adapters: async () => (await import('./commands/adapters')).adaptersCommand,
  search: async () => (await import('./commands/search')).searchCommand,
};

const SUMMARIES: Record<string, string> = {
  ask: 'ask a question in chat, reasoning or search mode',
  models: 'inspect GGUF models and adapters, download from the catalog',
  history: 'list, search, export and import conversations',
  serve: 'start the HTTP API and the web UI on 127.0.0.1',
  eval: 'evaluate the base model and adapters on a JSONL data set',
  adapters: 'import a PEFT LoRA folder from training as a GGUF adapter',
  search: 'show the sources and passages Search would read (no model needed)',
};

function usage(): string {
  const lines = Object.keys(COMMANDS).map(
    (name) => `  ponder ${name.padEnd(8)} ${SUMMARIES[name] ?? ''}`,
  );
  return [
    'Usage: ponder <command> [options]',
    '',
    ...lines,
    '',
    'Run `ponder <command> --help` for its options.',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`Unknown command "${terminalSafe(name, { oneLine: true })}".\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    const command = await load();
    return await command.run(rest, io);
  } catch (error) {
    const appError = toAppError(error);
    // A rejected option value: where to read what the options take.
    if (error instanceof InvalidOptionError)
      appError.hint ??= `Run \`ponder ${name} --help\` for the options.`;
    const line = terminalSafe(formatAppError(appError), { oneLine: true });
    io.stderr.write(`ponder ${name}: ${line}\n`);
    if (error instanceof UsageError || error instanceof InvalidOptionError) return EXIT_USAGE;
    // Stopped by Ctrl+C: the shell's convention (128 + SIGINT), so scripts can tell it from a failure.
    return appError.code === 'cancelled' ? 130 : 1;
  }
}
