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
  // Configuration problems stay until a person fixes them: 400 is a status no OpenAI SDK retries
  // (they retry 408, 409, 429 and 5xx; LangChain also 422), so a client fails at once with the
  // reason instead of retrying in silence.
  'model-missing': 400,
  'model-invalid': 400,
  'adapter-missing': 400,
  'adapter-mismatch': 400,
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

/** Seconds a client is asked to wait before asking again when the queue is full. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

const PERMANENT_CODES: ReadonlySet<AppErrorCode> = new Set([
  'model-missing',
  'model-invalid',
  'adapter-missing',
  'adapter-mismatch',
]);

/**
 * Headers that tell clients whether to retry: `Retry-After` on 429 (OpenAI's and LangChain's
 * clients wait that long), and `X-Should-Retry: false` (which the OpenAI SDK obeys) on
 * configuration problems that asking again cannot fix.
 */
export function retryHeadersFor(error: AppError): Record<string, string> {
  if (error.code === 'engine-busy') return { 'Retry-After': String(BUSY_RETRY_AFTER_SECONDS) };
  if (PERMANENT_CODES.has(error.code)) return { 'X-Should-Retry': 'false' };
  return {};
}

/** A PonderError that also fixes the HTTP status, for failures that only exist at the HTTP level. */
export class HttpError extends PonderError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The request field at fault (OpenAI's `param`), when one is. */
  readonly param: string | undefined;

  constructor(
    status: number,
    code: AppErrorCode,
    message: string,
    options?: { hint?: string; headers?: Record<string, string>; param?: string },
  ) {
    super(code, message, options?.hint === undefined ? undefined : { hint: options.hint });
    this.name = 'HttpError';
    this.status = status;
    this.headers = options?.headers ?? {};
    this.param = options?.param;
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
