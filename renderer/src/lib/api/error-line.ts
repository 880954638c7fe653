import type { AppError } from '../../../../electron/shared';

const ENDED = /[.!?…]["'”’]?$/;

/** An error as the one line a person reads: the message, then the hint, punctuated apart (as the CLI prints it). */
export function errorLine(error: AppError): string {
  const message = error.message.trimEnd();
  if (!error.hint) return message;
  return `${ENDED.test(message) ? message : `${message}.`} ${error.hint.trim()}`;
}
