import type { AppError, Result } from '../../shared';

export interface PlainDataLimits {
  /** Values (objects, arrays, strings, numbers...) counted across the whole payload. @default 100_000 */
  maxNodes?: number;
  /** Nesting of objects and arrays. @default 64 */
  maxDepth?: number;
  /** Longest single string. @default 2_000_000 */
  maxStringChars?: number;
}

const refuse = (code: AppError['code'], message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});

/**
 * Checks, in time bounded by `maxNodes`, that a payload from another process is plain JSON-like
 * data (null, booleans, finite numbers, strings, arrays, plain objects) within size limits, so a
 * schema validator never walks a 4 MB typed array key by key or a Map it cannot describe. Run it
 * before the schema on anything that crossed IPC.
 */
export function checkPlainData(value: unknown, limits: PlainDataLimits = {}): Result<void> {
  const maxNodes = limits.maxNodes ?? 100_000;
  const maxDepth = limits.maxDepth ?? 64;
  const maxStringChars = limits.maxStringChars ?? 2_000_000;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    nodes += 1;
    if (nodes > maxNodes)
      return refuse(
        'payload-too-large',
        `The request holds more than ${maxNodes.toLocaleString('en')} values.`,
      );
    if (current === null || current === undefined || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current))
        return refuse('invalid-input', 'The request holds a number that is not finite.');
      continue;
    }
    if (typeof current === 'string') {
      if (current.length > maxStringChars) {
        return refuse(
          'payload-too-large',
          `The request holds a text of ${current.length.toLocaleString('en')} characters; the limit is ${maxStringChars.toLocaleString('en')}.`,
        );
      }
      continue;
    }
    if (typeof current !== 'object')
      return refuse(
        'invalid-input',
        `The request holds a ${typeof current}, which is not plain data.`,
      );
    if (depth >= maxDepth)
      return refuse('invalid-input', `The request is nested more than ${maxDepth} levels deep.`);
    const prototype = Object.getPrototypeOf(current) as unknown;
    if (Array.isArray(current) && prototype === Array.prototype) {
      if (current.length > maxNodes)
        return refuse(
          'payload-too-large',
          `The request holds a list of ${current.length.toLocaleString('en')} items.`,
        );
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = Object.prototype.toString.call(current).slice(8, -1);
      return refuse('invalid-input', `The request holds a ${kind}, which is not plain data.`);
    }
    const keys = Object.keys(current);
    if (keys.length > maxNodes)
      return refuse(
        'payload-too-large',
        `The request holds an object with ${keys.length.toLocaleString('en')} keys.`,
      );
    for (const key of keys)
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
  }
  return { ok: true, value: undefined };
}
