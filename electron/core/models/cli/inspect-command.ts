import { parseArgs } from 'node:util';
import { toAppError } from '../../errors';
import type { CliIO } from '../../cli/cli-command';
import { assertAdapterFits } from '../gguf/assert-adapter-fits';
import { readGgufSummary } from '../gguf/gguf-summary';
import { formatSummary } from './format-summary';
import { summaryToJson } from './summary-json';

export const INSPECT_USAGE = 'ponder models inspect FILE [--base BASE_FILE] [--json]';

/**
 * `ponder models inspect FILE`: what a GGUF file is, validated as the engine would before
 * loading it. With --base, whether the adapter fits that base (exit 1 when it does not).
 */
export async function inspectCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      base: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(`Usage: ${INSPECT_USAGE}\n`);
    return 0;
  }
  const [file, extra] = positionals;
  if (!file || extra !== undefined) {
    io.stderr.write(`Usage: ${INSPECT_USAGE}\n`);
    return 2;
  }
  const summary = await readGgufSummary(file);
  let fit: { base: string; error?: string } | undefined;
  if (values.base) {
    const base = await readGgufSummary(values.base);
    try {
      assertAdapterFits(base, summary);
      fit = { base: values.base };
    } catch (error) {
      fit = { base: values.base, error: toAppError(error).message };
    }
  }
  if (values.json) {
    io.stdout.write(
      `${JSON.stringify({ ...summaryToJson(summary), ...(fit ? { fit } : {}) }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(formatSummary(summary, fit));
  }
  return fit?.error ? 1 : 0;
}
