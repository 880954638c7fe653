import { dialog } from 'electron';
import { createPonderCore } from '../core/app';
import type { CreatePonderCoreOptions, PonderCore } from '../core/app';
import { formatAppError, toAppError } from '../core/errors';
import { askToRecoverHistory, recoveredHistoryDialog } from './damaged-history';

/**
 * The desktop app's PonderCore. A damaged conversation history is never moved on its own: a dialog
 * says where it is and what Recover does, and only Recover touches it; Quit leaves it as it was.
 */
export async function openPonderCore(
  options: Omit<CreatePonderCoreOptions, 'onCorruptDatabase'>,
): Promise<PonderCore> {
  const core = await createPonderCore({
    ...options,
    onCorruptDatabase: askToRecoverHistory((box) => dialog.showMessageBox(box)),
  });
  if (core.databaseRecovery) {
    await dialog.showMessageBox(recoveredHistoryDialog(core.databaseRecovery));
  }
  return core;
}

/**
 * Says why Ponder could not start in a dialog (a desktop app has no terminal to read).
 * @returns the exit code: 0 when the person chose Quit instead of recovering, 1 otherwise.
 */
export function reportStartFailure(error: unknown): number {
  const appError = toAppError(error);
  if (appError.code === 'cancelled') return 0;
  const line = formatAppError(appError);
  console.error(`Ponder could not start: ${line}`);
  dialog.showErrorBox('Ponder could not start', line);
  return 1;
}
