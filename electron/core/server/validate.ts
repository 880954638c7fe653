import type { z } from 'zod';
import { HttpError } from './http-error';

/**
 * Parses with a zod schema; a failure is a 400 `invalid-input` that names the first bad field, e.g.
 * `Invalid "messages.0.role": …`.
 */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what = 'body',
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = path === '' ? what : path;
  const message = issue?.message ?? 'rejected';
  throw new HttpError(400, 'invalid-input', `Invalid "${field}": ${message}.`, {
    hint: 'The fields each route takes are listed in electron/core/server/README.md.',
  });
}
