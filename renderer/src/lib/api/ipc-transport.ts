import type { PonderApi, PonderBridge, Result } from '../../../../electron/shared';

const unwrap = async <T>(result: Promise<Result<T>>): Promise<T> => {
  const settled = await result;
  if (settled.ok) return settled.value;
  throw settled.error;
};

/** The Electron transport: the preload's `window.ponder` bridge, with Results turned into rejections. */
export function createIpcApi(bridge: PonderBridge): PonderApi {
  return {
    transport: 'ipc',
    health: () => unwrap(bridge.health()),
    ask: (input, onEvent) => bridge.ask(input, onEvent),
    listConversations: () => unwrap(bridge.listConversations()),
    getConversation: (id) => unwrap(bridge.getConversation(id)),
    searchConversations: (query) => unwrap(bridge.searchConversations(query)),
    updateConversation: (id, patch) => unwrap(bridge.updateConversation(id, patch)),
    deleteConversation: (id) => unwrap(bridge.deleteConversation(id)),
    updateMessage: (id, patch) => unwrap(bridge.updateMessage(id, patch)),
    exportConversations: (id, format) => unwrap(bridge.exportConversations(id, format)),
    getSettings: () => unwrap(bridge.getSettings()),
    updateSettings: (patch) => unwrap(bridge.updateSettings(patch)),
    listCatalog: () => unwrap(bridge.listCatalog()),
    checkModelFiles: (input) => unwrap(bridge.checkModelFiles(input)),
    testEngine: (input) => unwrap(bridge.testEngine(input)),
    importAdapter: (input, onProgress) => unwrap(bridge.importAdapter(input, onProgress)),
    downloadModel(id, onProgress) {
      const handle = bridge.downloadModel(id, onProgress);
      return { cancel: () => handle.cancel(), finished: unwrap(handle.finished) };
    },
    openExternal: (url) => unwrap(bridge.openExternal(url)),
    desktop: {
      pickFile: (kind) => unwrap(bridge.pickFile(kind)),
      shortcutStatus: () => unwrap(bridge.shortcutStatus()),
      setDefaultMode: (mode) => unwrap(bridge.setDefaultMode(mode)),
      hideQuickAsk: () => unwrap(bridge.hideQuickAsk()),
      openInMain: (id) => unwrap(bridge.openInMain(id)),
      engineKeyStatus: () => unwrap(bridge.engineKeyStatus()),
      setEngineKey: (key) => unwrap(bridge.setEngineKey(key)),
      onNotice: (listener) => bridge.onNotice(listener),
    },
  };
}
