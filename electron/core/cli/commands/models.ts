import { Writable } from 'node:stream';
import type { CliCommand, CliIO } from '../cli-command';
import { terminalSafe } from '../terminal-text';

const USAGE = [
  'Usage:',
  '  ponder models inspect FILE [--base BASE_FILE] [--json]   describe a GGUF model or LoRA adapter',
  '  ponder models list [--json]                              models in the catalog, and which are here',
  '  ponder models download ID|hf:OWNER/REPO/FILE [--to DIR]  download into the data folder',
  '  ponder models merge [--mode chat|reasoning|all]          merge adapters into the base (fast modes)',
].join('\n');

/**
 * What a subcommand prints for a person, with the control characters of text read from a model
 * file (its name, its template) shown as text; `--json` output escapes its own.
 */
function forPeople(io: CliIO): CliIO {
  const stdout = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      io.stdout.write(terminalSafe(chunk.toString()), () => done());
    },
  });
  return { ...io, stdout };
}

/** Subcommands load on demand: `inspect` never pays for the downloader. */
const SUBCOMMANDS: Record<string, () => Promise<CliCommand['run']>> = {
  inspect: async () => (await import('../../models/cli/inspect-command')).inspectCommand,
  list: async () => (await import('../../models/cli/list-command')).listCommand,
  download: async () => (await import('../../models/cli/download-command')).downloadCommand,
  merge: async () => (await import('../../models/cli/merge-command')).mergeCommand,
};

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'inspect GGUF models and adapters, download from the catalog',
  usage: USAGE,
  async run(argv, io) {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h') {
      io.stdout.write(`${USAGE}\n`);
      return name ? 0 : 2;
    }
    const load = SUBCOMMANDS[name];
    if (!load) {
      io.stderr.write(`Unknown models command "${name}".\n${USAGE}\n`);
      return 2;
    }
    return (await load())(rest, rest.includes('--json') ? io : forPeople(io));
  },
};
