import type { AnswerEvent } from './events';
import type { AppError, Result } from './errors';
import type {
  AdapterImportInput,
  AdapterImportProgress,
  AdapterImportResult,
  AskInput,
  DownloadProgress,
  EngineKeyStatus,
  PonderApi,
} from './api';
import type { Mode, SearchDepth } from './modes';

/** What a file picker is for; main chooses the dialog's title and filters from it. */
export type PickFileKind = 'model' | 'adapter';

/** Whether the quick-ask shortcut is registered; settings show `reason` when it is not. */
export interface ShortcutStatus {
  accelerator: string;
  registered: boolean;
  reason?: string;
}

/** Something main asks a window to do (from the tray, the quick-ask window or a second launch). */
export type DesktopNotice =
  /** `depth` is Search's depth, picked with the mode (the tray's Deep Search item). */
  | { type: 'mode-changed'; mode: Mode; depth?: SearchDepth }
  | { type: 'open-conversation'; conversationId: string }
  | { type: 'open-settings' }
  | { type: 'quick-ask-shown' };

/** Abilities only the desktop app has; `PonderApi.desktop` is absent over HTTP. */
export interface DesktopApi {
  /** A native open dialog; resolves to the chosen path, or null when cancelled. */
  pickFile(kind: PickFileKind): Promise<string | null>;
  shortcutStatus(): Promise<ShortcutStatus>;
  /** Sets the default mode everywhere (window, quick ask, tray radio items). */
  setDefaultMode(mode: Mode): Promise<void>;
  hideQuickAsk(): Promise<void>;
  /** Shows the main window on this conversation (from the quick-ask window). */
  openInMain(conversationId: string): Promise<void>;
  /** Whether the remote engine's API key is kept in the OS keychain (Electron safeStorage). */
  engineKeyStatus(): Promise<EngineKeyStatus>;
  /** Saves the key encrypted by the OS keychain, or forgets it (null). */
  setEngineKey(key: string | null): Promise<EngineKeyStatus>;
  /** Subscribes to notices from main; returns the unsubscribe function. */
  onNotice(listener: (notice: DesktopNotice) => void): () => void;
}

type RequestMethods = Exclude<
  keyof PonderApi,
  'transport' | 'ask' | 'downloadModel' | 'importAdapter' | 'desktop'
>;
type DesktopRequestMethods = Exclude<keyof DesktopApi, 'onNotice'>;

type Bridged<F> = F extends (...args: infer A) => Promise<infer R>
  ? (...args: A) => Promise<Result<R>>
  : never;

/**
 * Exactly what the preload exposes as `window.ponder`: named functions only, never ipcRenderer or an
 * IPC event (SECURITY.md #2). Requests settle with a Result so an AppError crosses the context bridge
 * intact; the renderer's IPC transport turns that back into PonderApi's rejections.
 */
export type PonderBridge = { [K in RequestMethods]: Bridged<PonderApi[K]> } & {
  [K in DesktopRequestMethods]: Bridged<DesktopApi[K]>;
} & {
  ask(
    input: AskInput,
    onEvent: (event: AnswerEvent) => void,
  ): { cancel(): void; finished: Promise<void> };
  downloadModel(
    id: string,
    onProgress: (progress: DownloadProgress) => void,
  ): { cancel(): void; finished: Promise<Result<string>> };
  importAdapter(
    input: AdapterImportInput,
    onProgress: (progress: AdapterImportProgress) => void,
  ): Promise<Result<AdapterImportResult>>;
  onNotice(listener: (notice: DesktopNotice) => void): () => void;
};

/** The allow-list: the preload exposes these keys and nothing else. */
export const BRIDGE_METHODS = [
  'health',
  'ask',
  'listConversations',
  'getConversation',
  'searchConversations',
  'updateConversation',
  'deleteConversation',
  'updateMessage',
  'exportConversations',
  'getSettings',
  'updateSettings',
  'listCatalog',
  'checkModelFiles',
  'testEngine',
  'downloadModel',
  'importAdapter',
  'openExternal',
  'pickFile',
  'shortcutStatus',
  'setDefaultMode',
  'hideQuickAsk',
  'openInMain',
  'engineKeyStatus',
  'setEngineKey',
  'onNotice',
] as const satisfies readonly (keyof PonderBridge)[];

/** Desktop-only IPC channels (PonderApi's are in IPC_CHANNELS). */
export const DESKTOP_CHANNELS = {
  pickFile: 'dialog:pick-file',
  shortcutStatus: 'shortcut:status',
  setDefaultMode: 'settings:set-default-mode',
  hideQuickAsk: 'quick:hide',
  openInMain: 'quick:open-in-main',
  engineKeyStatus: 'engine:key-status',
  setEngineKey: 'engine:set-key',
  notice: 'app:notice',
} as const;

/** A request's failure as it crosses IPC. */
export type BridgeError = AppError;
