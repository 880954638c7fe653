import { PonderError } from '../errors';

/** A command line Ponder cannot run as written; the CLI exits 2 for it, as other tools do. */
export class UsageError extends PonderError {
  constructor(message: string, hint?: string) {
    super('invalid-input', message, hint === undefined ? undefined : { hint });
    this.name = 'UsageError';
  }
}

/** Exit status for a usage error. */
export const EXIT_USAGE = 2;

/**
 * node:util parseArgs failures as one clean line: `Unknown option "--bogus".` rather than Node's
 * advice about positional arguments.
 */
export function usageErrorFromParseArgs(error: unknown, command: string): UsageError {
  const hint = `Run \`ponder ${command} --help\` for the options.`;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const quoted = /'([^']*)'/.exec(message)?.[1];
  const option = quoted?.replace(/ <value>$/, '');
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`Unknown option "${option ?? message}".`, hint);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (option && /argument missing/.test(message))
        return new UsageError(`Option "${option}" needs a value.`, hint);
      // `--top-k -3`: the value looks like another option.
      if (option && /ambiguous/.test(message))
        return new UsageError(
          `Option "${option}" needs a value; write one that starts with "-" as ${option}=VALUE.`,
          hint,
        );
      return new UsageError(
        option ? `Option "${option}" does not take a value.` : (message.split('\n')[0] ?? message),
        hint,
      );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`Unexpected argument "${quoted ?? message}".`, hint);
    default:
      return new UsageError(message.split('\n')[0] ?? message, hint);
  }
}
