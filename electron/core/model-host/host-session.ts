import { basename } from 'node:path';
import type { AnswerEvent, AppError } from '../../shared';
import { PonderError } from '../errors';
import type { EngineInfo, EngineOptions } from '../llm/engine-types';
import type { FromHost, ToHost } from './host-protocol';
import { fromHostSchema } from './host-protocol';
import type { ModelHostProcess, ModelHostSpawn } from './model-host-process';

export const CRASHED_MESSAGE =
  'The model process stopped unexpectedly; it has been restarted. Ask again.';

/** Why the parent itself ended a process; anything else is a crash. */
type StopIntent =
  'dispose' | 'load-failed' | 'load-timeout' | 'unreadable-message' | 'cancel-timeout';

type Pending =
  | { kind: 'generate'; onEvent: (event: AnswerEvent) => void; cancelled: boolean }
  | { kind: 'call'; resolve: (value: unknown) => void; reject: (error: PonderError) => void };

export interface HostSessionOptions {
  spawn: ModelHostSpawn;
  engineOptions: EngineOptions;
  loadTimeoutMs: number;
  /** Told how far the model has loaded (0 to 1) while it loads. */
  onLoadProgress?: (progress: number) => void;
  /** Told what the engine says about itself after an answer. */
  onInfo?: (info: EngineInfo) => void;
  /** Called once the process has ended, after every request it held was answered. */
  onExit: (session: HostSession, crashed: boolean) => void;
}

/**
 * One model process from spawn to exit: loads the engine, routes replies to requests by id, and
 * when the process ends answers every request still open, so nothing waits forever.
 */
export class HostSession {
  readonly ready: Promise<EngineInfo>;
  /** Settles once the process has ended. */
  readonly exited: Promise<void>;
  alive = true;
  private readonly process: ModelHostProcess;
  private readonly pending = new Map<string, Pending>();
  private stopIntent: StopIntent | undefined;
  private loaded = false;
  private loadTimer: NodeJS.Timeout | undefined;
  private settleLoad!: {
    resolve: (info: EngineInfo) => void;
    reject: (error: PonderError) => void;
  };

  constructor(private readonly options: HostSessionOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.settleLoad = { resolve, reject };
    });
    // Callers that never await `ready` (an eager restart) must not raise an unhandled rejection.
    this.ready.catch(() => {});
    let markExited!: () => void;
    this.exited = new Promise((resolve) => {
      markExited = resolve;
    });
    this.process = options.spawn();
    this.process.on('message', (raw) => this.receive(raw));
    this.process.on('exit', (code) => {
      this.handleExit(code);
      markExited();
    });
    this.loadTimer = setTimeout(() => this.loadTimedOut(), options.loadTimeoutMs);
    this.send({ type: 'load', options: options.engineOptions });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  send(message: ToHost): void {
    try {
      this.process.postMessage(message);
    } catch {
      // The process is gone; its exit handler answers whatever was pending.
    }
  }

  track(id: string, pending: Pending): void {
    this.pending.set(id, pending);
  }

  untrack(id: string): void {
    this.pending.delete(id);
  }

  /** Records that the process is about to end on purpose (it was asked to exit). */
  expectExit(reason: StopIntent): void {
    this.stopIntent ??= reason;
  }

  /** Ends the process now; open requests are answered as `reason` dictates. */
  stop(reason: StopIntent): void {
    this.stopIntent ??= reason;
    this.process.kill();
  }

  private receive(raw: unknown): void {
    const parsed = fromHostSchema.safeParse(raw);
    if (!parsed.success) {
      // The process parses untrusted model files; one that speaks out of protocol is not trusted further.
      this.stop('unreadable-message');
      return;
    }
    this.route(parsed.data);
  }

  private route(message: FromHost): void {
    switch (message.type) {
      case 'load-progress':
        if (!this.loaded) this.options.onLoadProgress?.(message.progress);
        return;
      case 'loaded':
        clearTimeout(this.loadTimer);
        this.loaded = true;
        this.settleLoad.resolve(message.info);
        return;
      case 'info':
        this.options.onInfo?.(message.info);
        return;
      case 'load-failed': {
        clearTimeout(this.loadTimer);
        const { code, message: text, hint } = message.error;
        this.settleLoad.reject(new PonderError(code, text, hint ? { hint } : undefined));
        this.stop('load-failed');
        return;
      }
      case 'event': {
        const pending = this.pending.get(message.id);
        if (pending?.kind !== 'generate') return;
        if (message.event.type === 'done' || message.event.type === 'error')
          this.pending.delete(message.id);
        pending.onEvent(message.event);
        return;
      }
      case 'tokens':
      case 'prepared':
      case 'failed': {
        const pending = this.pending.get(message.id);
        if (pending?.kind !== 'call') return;
        this.pending.delete(message.id);
        if (message.type === 'tokens') pending.resolve(message.count);
        else if (message.type === 'prepared') pending.resolve(message.result);
        else pending.reject(toPonderError(message.error));
        return;
      }
      case 'disposed':
        return;
    }
  }

  private loadTimedOut(): void {
    const seconds = Math.round(this.options.loadTimeoutMs / 1000);
    this.settleLoad.reject(
      new PonderError(
        'model-invalid',
        `The model ${basename(this.options.engineOptions.modelPath)} did not finish loading within ${seconds} s, so its process was stopped.`,
        {
          hint: 'Check that the file is a complete GGUF model; a very large model on a slow disk may need a longer load timeout.',
        },
      ),
    );
    this.stop('load-timeout');
  }

  private handleExit(code: number | null): void {
    if (!this.alive) return;
    this.alive = false;
    clearTimeout(this.loadTimer);
    if (!this.loaded) {
      const file = basename(this.options.engineOptions.modelPath);
      this.settleLoad.reject(
        this.stopIntent === 'unreadable-message'
          ? new PonderError(
              'model-invalid',
              `The model process sent an unreadable reply while loading ${file}, so it was stopped.`,
              {
                hint: 'The file may be damaged or crafted; download it again from a trusted source.',
              },
            )
          : new PonderError(
              'model-invalid',
              `The model process stopped while loading ${file} (exit code ${code ?? 'none'}).`,
              {
                hint: "The file may be damaged or too large for this computer's memory; download it again or choose a smaller model.",
              },
            ),
      );
    }
    // Restart after anything but a deliberate unload or a model that cannot load at all.
    const crashed =
      this.stopIntent !== 'dispose' &&
      this.stopIntent !== 'load-failed' &&
      this.stopIntent !== 'load-timeout';
    const failure: AppError =
      this.stopIntent === 'dispose'
        ? { code: 'cancelled', message: 'The model was unloaded before the answer finished.' }
        : this.stopIntent === 'unreadable-message'
          ? {
              code: 'model-crashed',
              message:
                'The model process sent a message Ponder could not read; it has been restarted. Ask again.',
            }
          : { code: 'model-crashed', message: CRASHED_MESSAGE };
    for (const pending of this.pending.values()) {
      if (pending.kind === 'call') pending.reject(toPonderError(failure));
      else if (pending.cancelled)
        pending.onEvent({ type: 'error', error: { code: 'cancelled', message: 'Cancelled.' } });
      else pending.onEvent({ type: 'error', error: failure });
    }
    this.pending.clear();
    this.options.onExit(this, crashed && this.loaded);
  }
}

function toPonderError(error: AppError): PonderError {
  return new PonderError(error.code, error.message, error.hint ? { hint: error.hint } : undefined);
}
