import type {
  AdapterImportProgress,
  AdapterImportResult,
  AnswerEvent,
  AppError,
  DownloadProgress,
  PonderApi,
} from '../../../../electron/shared';
import { checkExternalUrl, isAppError } from '../../../../electron/shared';
import { asAppError } from './app-error';
import { readSseData } from './sse-reader';

const unreachable: AppError = {
  code: 'internal',
  message: "Ponder's server cannot be reached.",
  hint: 'Check that `ponder serve` is still running, then reload this page.',
};

/** The browser transport: HTTP_ROUTES on the page's own origin, SSE for streams, bearer token. */
export function createHttpApi(token: () => string | null, base = ''): PonderApi {
  const headers = (json: boolean): Record<string, string> => {
    const value = token();
    return {
      ...(value ? { Authorization: `Bearer ${value}` } : {}),
      ...(json ? { 'Content-Type': 'application/json' } : {}),
      Accept: 'application/json, text/event-stream',
    };
  };

  /** Throws the server's AppError (`{error}` body), or a clear one when there is none. */
  const failure = async (response: Response): Promise<AppError> => {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = (body as { error?: unknown } | undefined)?.error;
    if (isAppError(error)) {
      if (error.code === 'unauthorized' && !error.hint) {
        return {
          ...error,
          hint: 'Open the address `ponder serve` printed, with its #token=… part.',
        };
      }
      return error;
    }
    return {
      code: 'internal',
      message: `Ponder's server answered ${response.status} ${response.statusText}.`,
    };
  };

  const send = async (
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: headers(body !== undefined),
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      if (signal?.aborted) throw asAppError(error);
      throw unreachable;
    }
    if (!response.ok) throw await failure(response);
    return response;
  };

  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await send(method, path, body);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get('Content-Type') ?? '';
    return (type.includes('json') ? await response.json() : await response.text()) as T;
  };

  /** Opens an SSE stream and hands each parsed `data:` value to `onData`. */
  const stream = async (
    path: string,
    body: unknown,
    signal: AbortSignal,
    onData: (value: unknown) => void,
  ): Promise<void> => {
    const response = await send('POST', path, body, signal);
    if (!response.body) throw unreachable;
    for await (const data of readSseData(response.body)) onData(JSON.parse(data));
  };

  const id = encodeURIComponent;

  return {
    transport: 'http',
    health: () => json('GET', '/api/health'),

    ask(input, onEvent) {
      const controller = new AbortController();
      let ended = false;
      const emit = (event: AnswerEvent): void => {
        if (ended) return;
        if (event.type === 'done' || event.type === 'error') ended = true;
        onEvent(event);
      };
      const finished = stream('/api/ask', input, controller.signal, (value) =>
        emit(value as AnswerEvent),
      )
        .catch((error: unknown) => emit({ type: 'error', error: asAppError(error) }))
        .finally(() => {
          // Closing the connection is how a stream is cancelled; the server saves what was written.
          if (!ended) {
            emit({
              type: 'error',
              error: controller.signal.aborted
                ? { code: 'cancelled', message: 'Stopped.' }
                : {
                    ...unreachable,
                    message: 'The answer stopped because the connection to Ponder closed.',
                  },
            });
          }
        });
      return { cancel: () => controller.abort(), finished };
    },

    listConversations: () => json('GET', '/api/conversations'),
    getConversation: (conversationId) => json('GET', `/api/conversations/${id(conversationId)}`),
    searchConversations: (query) =>
      json('GET', `/api/conversations/search?q=${encodeURIComponent(query)}`),
    updateConversation: (conversationId, patch) =>
      json('PATCH', `/api/conversations/${id(conversationId)}`, patch),
    deleteConversation: (conversationId) =>
      json('DELETE', `/api/conversations/${id(conversationId)}`),
    checkModelFiles: (input) => json('POST', '/api/models/check', input),
    testEngine: (input) => json('POST', '/api/engine/test', input),
    updateMessage: (messageId, patch) => json('PATCH', `/api/messages/${id(messageId)}`, patch),
    // The export is a file's text (Markdown or JSON), handed over as it is.
    exportConversations: async (conversationId, format) =>
      (
        await send('GET', `/api/conversations/${id(conversationId)}/export?format=${format}`)
      ).text(),
    getSettings: () => json('GET', '/api/settings'),
    updateSettings: (patch) => json('PATCH', '/api/settings', patch),
    listCatalog: () => json('GET', '/api/models/catalog'),

    downloadModel(modelId, onProgress) {
      const controller = new AbortController();
      const finished = new Promise<string>((resolve, reject) => {
        let path: string | undefined;
        let error: AppError | undefined;
        stream('/api/models/download', { id: modelId }, controller.signal, (value) => {
          const event = value as
            | ({ type: 'progress' } & DownloadProgress)
            | { type: 'done'; path: string }
            | { type: 'error'; error: AppError };
          if (event.type === 'progress') onProgress(event);
          else if (event.type === 'done') path = event.path;
          else error = event.error;
        })
          .then(() => {
            if (path) resolve(path);
            else
              reject(
                error ??
                  (controller.signal.aborted
                    ? { code: 'cancelled', message: 'Download stopped.' }
                    : unreachable),
              );
          })
          .catch((cause: unknown) => reject(asAppError(cause)));
      });
      return { cancel: () => controller.abort(), finished };
    },

    async importAdapter(input, onProgress) {
      let result: AdapterImportResult | undefined;
      let error: AppError | undefined;
      await stream('/api/adapters/import', input, new AbortController().signal, (value) => {
        const event = value as
          | ({ type: 'progress' } & AdapterImportProgress)
          | { type: 'done'; result: AdapterImportResult }
          | { type: 'error'; error: AppError };
        if (event.type === 'progress') onProgress(event);
        else if (event.type === 'done') result = event.result;
        else error = event.error;
      }).catch((cause: unknown) => {
        throw asAppError(cause);
      });
      if (result) return result;
      throw error ?? unreachable;
    },

    async openExternal(url) {
      const checked = checkExternalUrl(url);
      if (!checked.ok) throw checked.error;
      // noopener: the opened page gets no handle on this one.
      window.open(checked.value, '_blank', 'noopener,noreferrer');
    },
  };
}
