import type { AppError, AppErrorCode } from '../../shared';
import { isAppError } from '../../shared';

/** An error a person can act on: a code the UI understands and one clear line. */
export class PonderError extends Error {
  readonly code: AppErrorCode;
  readonly hint: string | undefined;

  constructor(code: AppErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PonderError';
    this.code = code;
    this.hint = options?.hint;
  }

  toAppError(): AppError {
    return this.hint === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, hint: this.hint };
  }
}

/** Turns anything thrown into an AppError; unknown failures keep their first line only. */
export function toAppError(error: unknown): AppError {
  if (error instanceof PonderError) return error.toAppError();
  if (isAppError(error)) return error;
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'Cancelled.' };
  }
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n', 1)[0]?.trim() || 'Unknown error';
  return { code: 'internal', message: firstLine };
}

/** A sentence already ended: `.`, `!`, `?` or `…`, maybe followed by a closing quote. */
const ENDED = /[.!?…]["'”’]?$/;

/**
 * One line for a terminal: the message and, when there is one, what to do, as two sentences
 * (`…is qwen2. Use the adapter…`), whatever punctuation the message came with.
 */
export function formatAppError(error: AppError): string {
  if (!error.hint) return error.message;
  const message = error.message.trimEnd();
  return `${ENDED.test(message) ? message : `${message}.`} ${error.hint.trim()}`;
}
