import type { AppError, AppErrorCode } from '../../shared';
import { PonderError } from '../errors';

/**
 * The HTTP status each AppError code answers with. The JSON body always carries the AppError itself,
 * so clients explain the failure from `error.code`, `error.message` and `error.hint`, not the status.
 */
const STATUS_BY_CODE: Readonly<Record<AppErrorCode, number>> = {
  'invalid-input': 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'engine-busy': 429,
  'model-missing': 503,
  'model-invalid': 422,
  'adapter-missing': 422,
  'adapter-mismatch': 422,
  'insufficient-memory': 507,
  'model-crashed': 502,
  'search-offline': 502,
  'search-blocked': 502,
  'search-failed': 502,
  'fetch-refused': 502,
  'embedding-unavailable': 503,
  'db-corrupt': 500,
  'db-busy': 503,
  'db-error': 500,
  'download-failed': 502,
  'checksum-mismatch': 502,
  // A client that cancelled has hung up and reads nothing; a client that is still there was cut off
  // by the answer time limit (or the server shutting down).
  cancelled: 504,
  internal: 500,
};

export function statusForError(error: AppError): number {
  return STATUS_BY_CODE[error.code];
}

/** A PonderError that also fixes the HTTP status, for failures that only exist at the HTTP level. */
export class HttpError extends PonderError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: AppErrorCode,
    message: string,
    options?: { hint?: string; headers?: Record<string, string> },
  ) {
    super(code, message, options?.hint === undefined ? undefined : { hint: options.hint });
    this.name = 'HttpError';
    this.status = status;
    this.headers = options?.headers ?? {};
  }
}

export const notFound = (what: string): HttpError =>
  new HttpError(404, 'not-found', `${what} does not exist.`, {
    hint: 'The routes are listed in electron/core/server/README.md.',
  });

export const methodNotAllowed = (method: string, path: string, allowed: string[]): HttpError =>
  new HttpError(405, 'invalid-input', `${method} is not allowed on ${path}.`, {
    hint: `Use ${allowed.join(' or ')}.`,
    headers: { Allow: allowed.join(', ') },
  });
