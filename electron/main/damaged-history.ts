import type { MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import type { AskToRecover, DamagedDatabase } from '../core/app';

const RECOVER = 0;
const QUIT = 1;

/**
 * The dialog shown when the conversation history cannot be opened: what is wrong, where the file
 * is, and what Recover will do. Nothing has been moved while it is shown.
 */
export function damagedHistoryDialog(damaged: DamagedDatabase): MessageBoxOptions {
  return {
    type: 'warning',
    title: 'Ponder',
    message: 'Your conversation history cannot be opened',
    detail: [
      `The file ${damaged.path} is damaged or is not a Ponder conversation database (${damaged.reason}).`,
      `Recover starts a new history with every conversation that can still be read from it, and keeps the damaged file, unchanged, at ${damaged.keepAt}.`,
      'Quit closes Ponder and leaves the file exactly as it is.',
    ].join('\n\n'),
    buttons: ['Recover', 'Quit'],
    defaultId: RECOVER,
    cancelId: QUIT,
    noLink: true,
  };
}

/** What Recover saved and where the damaged file is now. */
export function recoveredHistoryDialog(recovery: { message: string }): MessageBoxOptions {
  return {
    type: 'info',
    title: 'Ponder',
    message: 'Your conversation history was recovered',
    detail: recovery.message,
    buttons: ['OK'],
    noLink: true,
  };
}

/** Asks through `showMessageBox` (Electron's dialog) before a damaged history is recovered. */
export function askToRecoverHistory(
  showMessageBox: (options: MessageBoxOptions) => Promise<MessageBoxReturnValue>,
): AskToRecover {
  return async (damaged) => {
    const { response } = await showMessageBox(damagedHistoryDialog(damaged));
    return response === RECOVER;
  };
}
