import type { z } from 'zod';
import type { Result } from '../../shared';

/** Validates an IPC argument list; a refusal names the first bad argument in one line. */
export function validateArgs<S extends z.ZodType>(
  schema: S,
  args: unknown[],
  what: string,
): Result<z.output<S>> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? ` (argument ${issue.path.join('.')})` : '';
  return {
    ok: false,
    error: {
      code: 'invalid-input',
      message: `Ponder refused a malformed ${what} request${where}: ${issue?.message ?? 'invalid'}.`,
    },
  };
}
