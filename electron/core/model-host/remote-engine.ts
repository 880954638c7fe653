import { randomUUID } from 'node:crypto';
import type { AnswerEvent, AppError, Mode } from '../../shared';
import { PonderError, toAppError } from '../errors';
import type {
  Engine,
  EngineInfo,
  EngineOptions,
  GenerateRequest,
  PrepareResult,
} from '../llm/engine-types';
import { EventQueue } from './event-queue';
import { MAX_TEXT_CHARS, engineOptionsSchema, wireGenerateRequestSchema } from './host-protocol';
import type { ToHost } from './host-protocol';
import { HostSession } from './host-session';
import type { ModelHostSpawn } from './model-host-process';

export interface RemoteEngineOptions {
  /** Starts one model process: `forkModelHost()` under Node, `utilityProcess.fork` in Electron. */
  spawn: ModelHostSpawn;
  /** A model that has not loaded by then is stopped with a clear error. @default 180_000 */
  loadTimeoutMs?: number;
  /** After a cancel, how long the model may take to stop before its process is ended. @default 5_000 */
  cancelGraceMs?: number;
  /** How long `dispose` waits for a clean exit before ending the process. @default 5_000 */
  disposeTimeoutMs?: number;
  /** Told each time the model process stops unexpectedly (it is restarted right after). */
  onCrash?: (info: { pid: number | undefined }) => void;
}

export interface RemoteEngine extends Engine {
  /** The current model process, if one is running (for diagnostics and tests). */
  readonly pid: number | undefined;
}

const CANCELLED: AppError = { code: 'cancelled', message: 'Cancelled.' };

/**
 * An Engine whose model runs in another process. Same contract as the in-process engine: resolves
 * once the model has loaded (or rejects with the same PonderError codes), `generate` never throws
 * and ends with one `done` or `error` event. When the process dies mid-answer the answer ends with
 * `model-crashed`, a fresh process starts at once, and the next request uses it.
 */
export async function createRemoteEngine(
  engineOptions: EngineOptions,
  remote: RemoteEngineOptions,
): Promise<RemoteEngine> {
  const { signal: loadSignal, onLoadProgress, ...serialisable } = engineOptions;
  // Through JSON: functions (a logger) are dropped here rather than failing inside postMessage.
  const checkedOptions = engineOptionsSchema.safeParse(JSON.parse(JSON.stringify(serialisable)));
  if (!checkedOptions.success) {
    throw new PonderError(
      'invalid-input',
      `Invalid model settings: ${checkedOptions.error.issues[0]?.message ?? 'rejected'}.`,
    );
  }
  const loadTimeoutMs = remote.loadTimeoutMs ?? 180_000;
  const cancelGraceMs = remote.cancelGraceMs ?? 5_000;
  const disposeTimeoutMs = remote.disposeTimeoutMs ?? 5_000;
  let current: HostSession | undefined;
  let disposed = false;
  let info: EngineInfo;

  const start = (): HostSession => {
    const session = new HostSession({
      spawn: remote.spawn,
      engineOptions: checkedOptions.data,
      loadTimeoutMs,
      ...(onLoadProgress ? { onLoadProgress } : {}),
      onInfo: (next) => {
        if (current === session) info = next;
      },
      onExit: (ended, crashed) => {
        if (current !== ended) return;
        current = undefined;
        if (crashed && !disposed) {
          remote.onCrash?.({ pid: ended.pid });
          // Restart now so the next question does not wait for the load; a failure surfaces then.
          current = start();
        }
      },
    });
    session.ready.catch(() => {
      if (current === session) current = undefined;
    });
    return session;
  };

  const ready = async (signal?: AbortSignal): Promise<HostSession> => {
    if (disposed) throw new PonderError('cancelled', 'The model has been unloaded.');
    current ??= start();
    const session = current;
    await abortable(session.ready, signal);
    return session;
  };

  const first = start();
  current = first;
  try {
    info = await abortable(first.ready, loadSignal);
  } catch (error) {
    first.stop('load-failed');
    // Reject only once the process is gone (bounded, in case the OS is slow to reap it), so a
    // failed load never leaves a model process behind.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      first.exited,
      new Promise((done) => (timer = setTimeout(done, disposeTimeoutMs))),
    ]);
    clearTimeout(timer);
    throw error;
  }

  /** One request answered by one reply (`tokens`, `prepared` or `failed`). */
  const call = async <T>(message: (id: string) => ToHost, signal?: AbortSignal): Promise<T> => {
    const session = await ready(signal);
    const id = randomUUID();
    const reply = new Promise<T>((resolve, reject) => {
      session.track(id, { kind: 'call', resolve: resolve as (value: unknown) => void, reject });
      session.send(message(id));
    });
    const stop = (): void => session.send({ type: 'cancel', id });
    signal?.addEventListener('abort', stop, { once: true });
    return abortable(reply, signal).finally(() => {
      signal?.removeEventListener('abort', stop);
      session.untrack(id);
    });
  };

  return {
    get pid() {
      return current?.pid;
    },

    async *generate(request: GenerateRequest): AsyncGenerator<AnswerEvent> {
      // The prompt-progress callback stays in this process; the model process cannot call it.
      const { signal, onPromptProgress: _onPromptProgress, ...rest } = request;
      const wire = wireGenerateRequestSchema.safeParse(rest);
      if (!wire.success) {
        yield { type: 'error', error: requestError(wire.error.issues[0]) };
        return;
      }
      let session: HostSession;
      try {
        if (signal?.aborted) throw new PonderError('cancelled', CANCELLED.message);
        session = await ready(signal);
        info = await session.ready;
      } catch (error) {
        yield { type: 'error', error: toAppError(error) };
        return;
      }

      const id = randomUUID();
      const queue = new EventQueue<AnswerEvent>();
      const pending = {
        kind: 'generate' as const,
        onEvent: (event: AnswerEvent) => queue.push(event),
        cancelled: false,
      };
      let graceTimer: NodeJS.Timeout | undefined;
      const cancel = (): void => {
        if (pending.cancelled || !session.alive) return;
        pending.cancelled = true;
        session.send({ type: 'cancel', id });
        // A model stuck in native code never sees the cancel; end its process instead.
        graceTimer = setTimeout(() => session.stop('cancel-timeout'), cancelGraceMs);
      };
      session.track(id, pending);
      signal?.addEventListener('abort', cancel, { once: true });
      session.send({ type: 'generate', id, request: wire.data });

      let finished = false;
      try {
        for await (const event of queue) {
          if (event.type === 'done' || event.type === 'error') finished = true;
          yield event;
          if (finished) return;
        }
      } finally {
        signal?.removeEventListener('abort', cancel);
        clearTimeout(graceTimer);
        // The consumer stopped reading early: stop the model too, and ignore what it still sends.
        if (!finished && session.alive) session.send({ type: 'cancel', id });
        session.untrack(id);
      }
    },

    async countTokens(text: string): Promise<number> {
      if (text.length > MAX_TEXT_CHARS) {
        throw new PonderError(
          'payload-too-large',
          `The text is ${text.length.toLocaleString('en')} characters; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}.`,
        );
      }
      return call<number>((id) => ({ type: 'count-tokens', id, text }));
    },

    prepare(mode: Mode, signal?: AbortSignal): Promise<PrepareResult> {
      return call<PrepareResult>((id) => ({ type: 'prepare', id, mode }), signal);
    },

    info: (): EngineInfo => info,

    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      const session = current;
      current = undefined;
      if (!session?.alive) return;
      session.expectExit('dispose');
      session.send({ type: 'dispose' });
      const timer = setTimeout(() => session.stop('dispose'), disposeTimeoutMs);
      await session.exited;
      clearTimeout(timer);
    },
  };
}

function requestError(
  issue: { path: PropertyKey[]; code: string; message: string } | undefined,
): AppError {
  const field = issue?.path.map(String).join('.') || 'request';
  if (issue?.code === 'too_big') {
    return {
      code: 'payload-too-large',
      message: `The ${field} is too large for the model (${issue.message}).`,
      hint: 'Shorten the conversation or start a new one.',
    };
  }
  return {
    code: 'invalid-input',
    message: `The request to the model is invalid at ${field}: ${issue?.message ?? 'rejected'}.`,
  };
}

/** Waits for `promise` unless the signal fires first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new PonderError('cancelled', CANCELLED.message));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * The engine factory `createPonderCore` takes (`engineFactory`): every load, and every reload after
 * a settings change, runs the model in a fresh process started by `remote.spawn`.
 */
export function remoteEngineFactory(
  remote: RemoteEngineOptions,
): (options: EngineOptions) => Promise<RemoteEngine> {
  return (options) => createRemoteEngine(options, remote);
}
