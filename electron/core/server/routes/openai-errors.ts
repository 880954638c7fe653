import type { AppError } from '../../../shared';
import { HttpError } from '../http-error';
import { OPENAI_MODELS } from '../schemas';

/** An HttpError that also carries OpenAI's own error `code`, which its clients branch on. */
export class OpenAiError extends HttpError {
  constructor(
    status: number,
    readonly openAiCode: string,
    message: string,
    options: { hint?: string; param?: string } = {},
  ) {
    super(status, status === 404 ? 'not-found' : 'invalid-input', message, options);
    this.name = 'OpenAiError';
  }
}

/** What OpenAI answers for a model it does not have: 404 `model_not_found` naming `model`. */
export function modelNotFound(id: string): OpenAiError {
  const shown = id.length > 80 ? `${id.slice(0, 80)}…` : id;
  return new OpenAiError(404, 'model_not_found', `The model "${shown}" does not exist.`, {
    hint: `Use one of ${Object.keys(OPENAI_MODELS).join(', ')} (GET /v1/models lists them).`,
    param: 'model',
  });
}

/**
 * OpenAI clients read `error.type`, `error.param` and `error.code`; the AppError's `message` and
 * `hint` stay for Ponder's own clients. `code` is OpenAI's where one applies (`model_not_found`),
 * else Ponder's AppError code.
 */
export function openAiErrorFields(
  _error: AppError,
  status: number,
  original?: unknown,
): Record<string, unknown> {
  return {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    param: original instanceof HttpError ? (original.param ?? null) : null,
    ...(original instanceof OpenAiError ? { code: original.openAiCode } : {}),
  };
}
