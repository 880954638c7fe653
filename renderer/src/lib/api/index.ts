import type { PonderApi, PonderBridge } from '../../../../electron/shared';
import { takeTokenFromLocation } from './auth-token';
import { createHttpApi } from './http-transport';
import { createIpcApi } from './ipc-transport';

export { asAppError } from './app-error';

declare global {
  interface Window {
    /** Set by the preload inside Ponder's desktop app; absent in a browser. */
    readonly ponder?: PonderBridge;
  }
}

function createApi(): PonderApi {
  if (window.ponder) return createIpcApi(window.ponder);
  takeTokenFromLocation(window.location, window.sessionStorage, window.history);
  return createHttpApi(() => window.sessionStorage.getItem('ponder.token'));
}

/** The one API object every component uses: IPC inside Electron, HTTP + SSE in a browser. */
export const api: PonderApi = createApi();
