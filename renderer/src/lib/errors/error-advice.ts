import type { AppError, AppErrorCode } from '../../../../electron/shared';

/** What a person can do about an error from the window itself. */
export type ErrorAction = 'retry' | 'open-models' | 'open-settings';

export interface ErrorAdvice {
  /** Plain words; never a CLI command or an HTTP header. Absent when the message says enough. */
  hint?: string;
  actions: ErrorAction[];
}

/** Hints written for the window, where the server's own hint speaks of the CLI or HTTP. */
const WINDOW_ADVICE: Partial<Record<AppErrorCode, ErrorAdvice>> = {
  'model-missing': {
    hint: 'Download a model, or choose a model file you already have in Settings.',
    actions: ['open-models', 'open-settings', 'retry'],
  },
  'model-invalid': {
    hint: 'Choose another model file in Settings.',
    actions: ['open-settings', 'open-models', 'retry'],
  },
  'adapter-missing': {
    hint: "Choose the mode's adapter file in Settings.",
    actions: ['open-settings', 'retry'],
  },
  'adapter-mismatch': {
    hint: 'This adapter was trained for another base model. Choose a matching one in Settings.',
    actions: ['open-settings', 'retry'],
  },
  'insufficient-memory': {
    hint: 'Try a smaller context size or fewer GPU layers in Settings, or a smaller model.',
    actions: ['open-settings', 'retry'],
  },
  'model-crashed': { hint: 'Ponder restarted the model. Try again.', actions: ['retry'] },
  'engine-busy': {
    hint: 'Another answer is still being written. Try again when it ends.',
    actions: ['retry'],
  },
  'search-offline': {
    hint: 'Check the internet connection, or pick another search provider in Settings.',
    actions: ['retry', 'open-settings'],
  },
  'search-blocked': {
    hint: 'The search provider refused the request. Wait a little, or pick another in Settings.',
    actions: ['retry', 'open-settings'],
  },
  'search-failed': { actions: ['retry', 'open-settings'] },
  'db-busy': {
    hint: 'Another Ponder is writing the history. Try again in a moment.',
    actions: ['retry'],
  },
  unauthorized: {
    hint: 'Open the address Ponder printed when it started; it carries the key this page needs.',
    actions: [],
  },
  internal: { actions: ['retry'] },
};

/** Backticks quote commands for a terminal; in the window they are only noise. */
const stripBackticks = (text: string): string => text.replace(/`([^`]*)`/g, '“$1”');

/**
 * What the window shows under an error: a plain hint and the buttons that fix it. `canRetry` is
 * false where nothing can be asked again (e.g. loading the history).
 */
export function adviceFor(error: AppError, canRetry: boolean): ErrorAdvice {
  const known = WINDOW_ADVICE[error.code];
  const hint = known?.hint ?? (error.hint ? stripBackticks(error.hint) : undefined);
  const actions = (known?.actions ?? []).filter((action) => canRetry || action !== 'retry');
  return { ...(hint ? { hint } : {}), actions };
}
