import type {
  AdapterImportProgress,
  AdapterImportResult,
  AnswerEvent,
  AppError,
  DesktopNotice,
  DownloadProgress,
  PonderBridge,
  Result,
} from '../shared';
import { DESKTOP_CHANNELS, IPC_CHANNELS } from '../shared';

/** The part of ipcRenderer the bridge uses; the listener's first argument is the IPC event. */
export interface IpcLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const bridgeFailure = (error: unknown): AppError => ({
  code: 'internal',
  message: `Ponder's main process did not answer: ${error instanceof Error ? error.message : String(error)}`,
  hint: 'Restart Ponder; if it keeps happening, report it with the log.',
});

/**
 * Builds `window.ponder`: one named function per allowed call (BRIDGE_METHODS), each sending a fixed
 * channel. Callers never see ipcRenderer, a channel name or an IPC event object (SECURITY.md #2).
 */
export function createBridge(
  ipc: IpcLike,
  newId: () => string = () => crypto.randomUUID(),
): PonderBridge {
  const request =
    <T>(channel: string) =>
    async (...args: unknown[]): Promise<Result<T>> => {
      try {
        return (await ipc.invoke(channel, ...args)) as Result<T>;
      } catch (error) {
        return { ok: false, error: bridgeFailure(error) };
      }
    };

  return {
    health: request(IPC_CHANNELS.health),
    listConversations: request(IPC_CHANNELS.listConversations),
    getConversation: request(IPC_CHANNELS.getConversation),
    searchConversations: request(IPC_CHANNELS.searchConversations),
    updateConversation: request(IPC_CHANNELS.updateConversation),
    deleteConversation: request(IPC_CHANNELS.deleteConversation),
    updateMessage: request(IPC_CHANNELS.updateMessage),
    exportConversations: request(IPC_CHANNELS.exportConversations),
    getSettings: request(IPC_CHANNELS.getSettings),
    updateSettings: request(IPC_CHANNELS.updateSettings),
    listCatalog: request(IPC_CHANNELS.listCatalog),
    checkModelFiles: request(IPC_CHANNELS.checkModelFiles),
    testEngine: request(IPC_CHANNELS.testEngine),
    openExternal: request(IPC_CHANNELS.openExternal),
    pickFile: request(DESKTOP_CHANNELS.pickFile),
    shortcutStatus: request(DESKTOP_CHANNELS.shortcutStatus),
    setDefaultMode: request(DESKTOP_CHANNELS.setDefaultMode),
    hideQuickAsk: request(DESKTOP_CHANNELS.hideQuickAsk),
    openInMain: request(DESKTOP_CHANNELS.openInMain),
    engineKeyStatus: request(DESKTOP_CHANNELS.engineKeyStatus),
    setEngineKey: request(DESKTOP_CHANNELS.setEngineKey),

    ask(input, onEvent) {
      const requestId = newId();
      let ended = false;
      let settle: () => void = () => {};
      const finished = new Promise<void>((resolve) => (settle = resolve));
      const end = (): void => {
        if (ended) return;
        ended = true;
        ipc.removeListener(IPC_CHANNELS.askEvent, listener);
        settle();
      };
      const listener = (_event: unknown, id: unknown, answerEvent: unknown): void => {
        if (id !== requestId || ended) return;
        const event = answerEvent as AnswerEvent;
        onEvent(event);
        if (event.type === 'done' || event.type === 'error') end();
      };
      ipc.on(IPC_CHANNELS.askEvent, listener);
      // Main sends every event before it answers the invoke; a failed invoke never streamed.
      void request<void>(IPC_CHANNELS.ask)(requestId, input).then((result) => {
        if (!result.ok && !ended) {
          onEvent({ type: 'error', error: result.error });
          end();
        }
      });
      return { cancel: () => ipc.send(IPC_CHANNELS.cancel, requestId), finished };
    },

    downloadModel(id, onProgress) {
      const requestId = newId();
      const listener = (_event: unknown, eventId: unknown, progress: unknown): void => {
        if (eventId === requestId) onProgress(progress as DownloadProgress);
      };
      ipc.on(IPC_CHANNELS.downloadProgress, listener);
      const finished = request<string>(IPC_CHANNELS.downloadModel)(requestId, id).finally(() =>
        ipc.removeListener(IPC_CHANNELS.downloadProgress, listener),
      );
      return { cancel: () => ipc.send(IPC_CHANNELS.cancelDownload, requestId), finished };
    },

    importAdapter(input, onProgress) {
      const requestId = newId();
      const listener = (_event: unknown, eventId: unknown, progress: unknown): void => {
        if (eventId === requestId) onProgress(progress as AdapterImportProgress);
      };
      ipc.on(IPC_CHANNELS.importProgress, listener);
      return request<AdapterImportResult>(IPC_CHANNELS.importAdapter)(requestId, input).finally(
        () => ipc.removeListener(IPC_CHANNELS.importProgress, listener),
      );
    },

    onNotice(listener) {
      const forward = (_event: unknown, notice: unknown): void => listener(notice as DesktopNotice);
      ipc.on(DESKTOP_CHANNELS.notice, forward);
      return () => void ipc.removeListener(DESKTOP_CHANNELS.notice, forward);
    },
  };
}
