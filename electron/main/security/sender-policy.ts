import { isAppUrl } from './app-origin';

/** What main knows about the sender of an IPC message. */
export interface SenderInfo {
  /** The sending webContents' id. */
  webContentsId: number;
  /** URL of the frame that sent it (`event.senderFrame.url`); null when the frame is gone. */
  frameUrl: string | null;
  /** Whether that frame is its page's main frame (no iframe, no child frame). */
  isMainFrame: boolean;
}

/**
 * IPC is accepted only from the main frame of one of Ponder's own windows showing the app's own
 * origin (SECURITY.md #3): an iframe, a navigated-away page or a foreign webContents is refused.
 */
export function isTrustedSender(
  sender: SenderInfo,
  ownWebContentsIds: ReadonlySet<number>,
  devServerUrl?: string,
): boolean {
  if (!ownWebContentsIds.has(sender.webContentsId)) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return isAppUrl(sender.frameUrl, devServerUrl);
}
