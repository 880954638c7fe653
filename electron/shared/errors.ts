/**
 * Every failure that crosses a process boundary is one of these codes, so the UI, the CLI and the
 * HTTP API can explain it to a person the same way.
 */
export const APP_ERROR_CODES = [
  'model-missing',
  'model-invalid',
  'adapter-missing',
  'adapter-mismatch',
  'insufficient-memory',
  'model-crashed',
  'engine-busy',
  'search-offline',
  'search-blocked',
  'search-failed',
  'fetch-refused',
  'embedding-unavailable',
  'db-corrupt',
  'db-busy',
  'db-error',
  'download-failed',
  'checksum-mismatch',
  'cancelled',
  'invalid-input',
  'not-found',
  'unauthorized',
  'forbidden',
  'payload-too-large',
  'internal',
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export interface AppError {
  code: AppErrorCode;
  /** One line a person can act on. */
  message: string;
  /** What to do about it, when that is not already in the message. */
  hint?: string;
}

export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });

export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.code === 'string' &&
    (APP_ERROR_CODES as readonly string[]).includes(candidate.code)
  );
}
