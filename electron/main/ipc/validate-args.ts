import type { z } from 'zod';
import type { Result } from '../../shared';
import { checkPlainData, describeSchemaIssue } from '../../core/security';

/**
 * Validates an IPC argument list; a refusal names the first bad argument in one short line.
 * checkPlainData runs first, in bounded time, because zod walks a typed array or a huge object
 * key by key and describes each key it does not expect (seconds of work, megabytes of message).
 */
export function validateArgs<S extends z.ZodType>(
  schema: S,
  args: unknown[],
  what: string,
): Result<z.output<S>> {
  const refuse = (detail: string): Result<never> => ({
    ok: false,
    error: {
      code: 'invalid-input',
      message: `Ponder refused a malformed ${what} request${detail}.`,
    },
  });
  const plain = checkPlainData(args);
  if (!plain.ok) return refuse(`: ${plain.error.message.replace(/\.$/, '')}`);
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const { path, message } = describeSchemaIssue(parsed.error.issues[0]);
  return refuse(`${path === '' ? '' : ` (argument ${path})`}: ${message}`);
}
