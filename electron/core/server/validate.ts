import type { z } from 'zod';
import { describeSchemaIssue } from '../security';
import { HttpError } from './http-error';

/**
 * Parses with a zod schema; a failure is a 400 `invalid-input` that names the first bad field in
 * one short line, e.g. `Invalid "messages.0.role": …` (unknown keys: the first few, then a count).
 */
export function validate<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what = 'body',
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = describeSchemaIssue(result.error.issues[0]);
  const field = path === '' ? what : path;
  throw new HttpError(400, 'invalid-input', `Invalid "${field}": ${message}.`, {
    hint: 'The fields each route takes are listed in electron/core/server/README.md.',
    param: field,
  });
}
