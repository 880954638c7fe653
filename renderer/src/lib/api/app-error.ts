import type { AppError } from '../../../../electron/shared';
import { isAppError } from '../../../../electron/shared';

/** Any rejection as an AppError, so every error the UI shows has a message and, ideally, a hint. */
export function asAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { code: 'cancelled', message: 'Stopped.' };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message.split('\n', 1)[0] || 'Something went wrong.' };
}
