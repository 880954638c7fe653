import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import type { Result } from '../../shared';
import { isTrustedSender } from '../security/sender-policy';
import type { IpcCaller, IpcHandlers } from './ipc-handlers';

const untrusted: Result<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This page may not talk to Ponder.' },
};

/**
 * Wires the handler table to ipcMain. Every message is checked against its sender first
 * (SECURITY.md #3): one of Ponder's own windows, its main frame, on the app origin.
 */
export function registerIpc(
  handlers: IpcHandlers,
  ownWebContentsIds: () => ReadonlySet<number>,
  devServerUrl?: string,
): () => void {
  const trusted = (event: IpcMainEvent | IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return isTrustedSender(
      {
        webContentsId: event.sender.id,
        frameUrl: frame ? frame.url : null,
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
      },
      ownWebContentsIds(),
      devServerUrl,
    );
  };
  const callerOf = (event: IpcMainEvent | IpcMainInvokeEvent): IpcCaller => ({
    id: event.sender.id,
    send: (channel, ...args) => event.sender.send(channel, ...args),
    isGone: () => event.sender.isDestroyed(),
  });

  for (const [channel, handler] of Object.entries(handlers.invoke)) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      trusted(event) ? handler(callerOf(event), args) : untrusted,
    );
  }
  for (const [channel, handler] of Object.entries(handlers.send)) {
    ipcMain.on(channel, (event, ...args: unknown[]) => {
      if (trusted(event)) handler(callerOf(event), args);
    });
  }
  return () => {
    for (const channel of Object.keys(handlers.invoke)) ipcMain.removeHandler(channel);
    for (const channel of Object.keys(handlers.send)) ipcMain.removeAllListeners(channel);
  };
}
