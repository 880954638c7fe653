import type {
  AnswerEvent,
  AppError,
  Mode,
  PickFileKind,
  Result,
  ShortcutStatus,
} from '../../shared';
import { DESKTOP_CHANNELS, IPC_CHANNELS } from '../../shared';
import type { PonderCore } from '../../core/app';
import { PonderError, toAppError } from '../../core/errors';
import { importAdapter } from '../../core/server/routes/adapter-import-route';
import { checkModelFiles } from '../../core/server/routes/model-check-route';
import { testEngineConnection } from '../../core/server/routes/engine-test-route';
import type { EngineKeyStore } from '../secrets/engine-key-store';
import { engineKeyHandlers } from '../secrets/engine-key-ipc';
import { checkExternalUrl } from '../security/open-external-policy';
import type { IpcArguments } from './ipc-schemas';
import { IPC_ARGUMENTS, IPC_SEND_ARGUMENTS } from './ipc-schemas';
import { validateArgs } from './validate-args';

/** What the handlers need from the desktop shell (windows, dialogs, the OS); main/index.ts supplies it. */
export interface DesktopHost {
  pickFile(senderId: number, kind: PickFileKind): Promise<string | null>;
  shortcutStatus(): ShortcutStatus;
  /** Called after settings change, so the shortcut, tray and windows follow them. */
  settingsChanged(): void;
  setDefaultMode(mode: Mode): void;
  hideQuickAsk(): void;
  openInMain(conversationId: string): void;
  openExternal(url: string): Promise<void>;
}

/** The caller of a request: its webContents id, and a way to stream events back to it. */
export interface IpcCaller {
  id: number;
  send(channel: string, ...args: unknown[]): void;
  isGone(): boolean;
}

type Handler = (caller: IpcCaller, args: unknown[]) => Promise<Result<unknown>>;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (error: unknown): Result<never> => ({ ok: false, error: toAppError(error) });

/**
 * One handler per invoke channel: validate the arguments, call the core, and answer with a Result
 * (an AppError survives the trip; an Error would arrive as a bare string). Streams (answers,
 * downloads) send events to their caller and can be cancelled by request id, by that caller only.
 */
export function createIpcHandlers(
  core: PonderCore,
  desktop: DesktopHost,
  engineKeys?: EngineKeyStore,
) {
  const running = new Map<string, { owner: number; controller: AbortController }>();

  const handle =
    <K extends keyof IpcArguments>(
      name: K,
      run: (args: IpcArguments[K], caller: IpcCaller) => Promise<unknown> | unknown,
    ): Handler =>
    async (caller, args) => {
      const checked = validateArgs(IPC_ARGUMENTS[name], args, name);
      if (!checked.ok) return checked;
      try {
        return ok(await run(checked.value as IpcArguments[K], caller));
      } catch (error) {
        return fail(error);
      }
    };

  const track = (requestId: string, owner: number): AbortController => {
    if (running.has(requestId)) {
      throw new PonderError('invalid-input', 'This request id is already in use.');
    }
    const controller = new AbortController();
    running.set(requestId, { owner, controller });
    return controller;
  };

  const invoke: Record<string, Handler> = {
    [IPC_CHANNELS.health]: handle('health', () => core.health()),
    [IPC_CHANNELS.ask]: handle('ask', async ([requestId, input], caller) => {
      const controller = track(requestId, caller.id);
      let ended = false;
      const emit = (event: AnswerEvent): void => {
        if (event.type === 'done' || event.type === 'error') ended = true;
        if (!caller.isGone()) caller.send(IPC_CHANNELS.askEvent, requestId, event);
      };
      try {
        const { conversationId, ...rest } = input;
        const stream = core.ask({
          ...rest,
          ...(conversationId && conversationId !== 'new' ? { conversationId } : {}),
          signal: controller.signal,
        });
        for await (const event of stream) {
          if (caller.isGone()) controller.abort();
          emit(event);
        }
      } catch (error) {
        if (!ended) emit({ type: 'error', error: toAppError(error) });
      } finally {
        running.delete(requestId);
      }
      if (!ended) {
        const error: AppError = {
          code: 'internal',
          message: 'The answer ended without finishing.',
          hint: 'Try again; if it keeps happening, report it with the log.',
        };
        emit({ type: 'error', error });
      }
    }),
    [IPC_CHANNELS.listConversations]: handle('listConversations', () => core.conversations.list()),
    [IPC_CHANNELS.getConversation]: handle('getConversation', ([id]) => core.conversations.get(id)),
    [IPC_CHANNELS.searchConversations]: handle('searchConversations', ([query]) =>
      core.conversations.search(query),
    ),
    [IPC_CHANNELS.updateConversation]: handle('updateConversation', ([id, patch]) =>
      core.conversations.update(id, patch),
    ),
    [IPC_CHANNELS.deleteConversation]: handle('deleteConversation', ([id]) =>
      core.conversations.delete(id),
    ),
    [IPC_CHANNELS.updateMessage]: handle('updateMessage', ([id, patch]) =>
      core.conversations.updateMessage(id, patch),
    ),
    [IPC_CHANNELS.exportConversations]: handle('exportConversations', ([id, format]) =>
      core.conversations.export(id, format),
    ),
    [IPC_CHANNELS.getSettings]: handle('getSettings', () => core.settings.get()),
    [IPC_CHANNELS.updateSettings]: handle('updateSettings', ([patch]) => {
      const settings = core.settings.update(patch);
      desktop.settingsChanged();
      return settings;
    }),
    [IPC_CHANNELS.listCatalog]: handle('listCatalog', () => core.models.catalog()),
    [IPC_CHANNELS.checkModelFiles]: handle('checkModelFiles', ([input]) => checkModelFiles(input)),
    [IPC_CHANNELS.testEngine]: handle('testEngine', ([input]) =>
      testEngineConnection(input, {
        env: process.env,
        ...(engineKeys ? { keychain: () => engineKeys.get() } : {}),
      }),
    ),
    [DESKTOP_CHANNELS.engineKeyStatus]: handle('engineKeyStatus', () =>
      engineKeyHandlers(core, engineKeys).status(),
    ),
    [DESKTOP_CHANNELS.setEngineKey]: handle('setEngineKey', ([key]) =>
      engineKeyHandlers(core, engineKeys).set(key),
    ),
    [IPC_CHANNELS.importAdapter]: handle('importAdapter', ([requestId, input], caller) =>
      importAdapter(input, {
        onProgress: (progress) => {
          if (!caller.isGone()) caller.send(IPC_CHANNELS.importProgress, requestId, progress);
        },
      }),
    ),
    [IPC_CHANNELS.downloadModel]: handle('downloadModel', async ([requestId, id], caller) => {
      const controller = track(requestId, caller.id);
      try {
        return await core.models.download(
          id,
          (progress) => {
            if (!caller.isGone()) caller.send(IPC_CHANNELS.downloadProgress, requestId, progress);
          },
          controller.signal,
        );
      } finally {
        running.delete(requestId);
      }
    }),
    [IPC_CHANNELS.openExternal]: handle('openExternal', async ([url]) => {
      const checked = checkExternalUrl(url);
      if (!checked.ok) {
        const { code, message, hint } = checked.error;
        throw new PonderError(code, message, hint === undefined ? undefined : { hint });
      }
      await desktop.openExternal(checked.value);
    }),
    'dialog:pick-file': handle('pickFile', ([kind], caller) => desktop.pickFile(caller.id, kind)),
    'shortcut:status': handle('shortcutStatus', () => desktop.shortcutStatus()),
    'settings:set-default-mode': handle('setDefaultMode', ([mode]) => {
      core.settings.update({ defaultMode: mode });
      desktop.setDefaultMode(mode);
    }),
    'quick:hide': handle('hideQuickAsk', () => desktop.hideQuickAsk()),
    'quick:open-in-main': handle('openInMain', ([id]) => desktop.openInMain(id)),
  };

  /** `answer:cancel` / `models:cancel`: only the caller that started a stream may stop it. */
  const cancel = (caller: IpcCaller, args: unknown[]): void => {
    const checked = validateArgs(IPC_SEND_ARGUMENTS.cancel, args, 'cancel');
    if (!checked.ok) return;
    const entry = running.get(checked.value[0]);
    if (entry && entry.owner === caller.id) entry.controller.abort();
  };

  return {
    invoke,
    send: { [IPC_CHANNELS.cancel]: cancel, [IPC_CHANNELS.cancelDownload]: cancel },
    /** Stops every stream a closed window started. */
    abandon(ownerId: number): void {
      for (const entry of running.values()) if (entry.owner === ownerId) entry.controller.abort();
    },
    dispose(): void {
      for (const entry of running.values()) entry.controller.abort();
      running.clear();
    },
  };
}

export type IpcHandlers = ReturnType<typeof createIpcHandlers>;
