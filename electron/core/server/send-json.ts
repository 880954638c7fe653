import type { ServerResponse } from 'node:http';
import type { AppError } from '../../shared';
import { toAppError } from '../errors';
import { HttpError, retryHeadersFor, statusForError } from './http-error';

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

/**
 * `{ error: AppError }` with the status its code maps to and the retry headers it calls for; `extra`
 * adds or overrides fields (OpenAI's `type`, `param` and `code`) and sees the original error.
 */
export function sendError(
  response: ServerResponse,
  error: unknown,
  extra: (
    appError: AppError,
    status: number,
    original: unknown,
  ) => Record<string, unknown> = () => ({}),
): void {
  const appError = toAppError(error);
  const status = error instanceof HttpError ? error.status : statusForError(appError);
  const headers = {
    ...retryHeadersFor(appError),
    ...(error instanceof HttpError ? error.headers : {}),
  };
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendJson(
    response,
    status,
    { error: { ...appError, ...extra(appError, status, error) } },
    headers,
  );
}
