import type { z } from 'zod';
import { PonderError } from '../errors';

/**
 * A command-line option whose value the settings reject (`--top-k 50`). The CLI exits with its
 * usage status for it, as for any other mistake in how a command is written.
 */
export class InvalidOptionError extends PonderError {
  constructor(
    readonly flag: string,
    problem: string,
  ) {
    super('invalid-input', `Invalid option --${flag}: ${problem}.`);
    this.name = 'InvalidOptionError';
  }
}

/** What is wrong with the value, in the words of the option rather than of the validator. */
function problemOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'give an http:// or https:// address, such as http://127.0.0.1:8888'
        : `is not a valid ${issue.format}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message.replace(/\.$/, '');
  }
}

/**
 * The first issue of a failed settings check, named by the option that set it: `flagOf` maps a
 * setting's key (`topK`) to its option (`top-k`).
 */
export function invalidOption(
  error: z.ZodError,
  flagOf: Record<string, string>,
  fallback: string,
): InvalidOptionError {
  const issue = error.issues[0];
  const key = issue?.path[0];
  const flag = (key !== undefined && flagOf[String(key)]) || fallback;
  return new InvalidOptionError(flag, issue ? problemOf(issue) : 'rejected');
}
