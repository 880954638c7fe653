import type { Mode } from '../../shared';
import { toAppError } from '../errors';
import type { Engine, EngineOptions } from '../llm/engine-types';
import type { FromHost, ToHost } from './host-protocol';
import { toHostSchema } from './host-protocol';

/** The host's side of the channel to its parent. */
export interface HostPort {
  post(message: FromHost): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Ends the process; called after `dispose` or when the parent is gone. */
  exit(code: number): void;
}

export type CreateEngine = (options: EngineOptions) => Promise<Engine>;

/**
 * Serves one Engine to the parent: `load` once, then any number of `generate`, `cancel` and
 * `count-tokens` by request id, streamed back as events. A message that fails validation is
 * dropped (answering it would mean trusting its id); the parent's own timeouts cover that.
 */
export function runModelHost(port: HostPort, createEngine: CreateEngine): void {
  let engine: Engine | undefined;
  let loading = false;
  const running = new Map<string, AbortController>();

  const load = async (options: EngineOptions): Promise<void> => {
    if (engine || loading) return;
    loading = true;
    try {
      engine = await createEngine({
        ...options,
        onLoadProgress: (progress) => port.post({ type: 'load-progress', progress }),
      });
      port.post({ type: 'loaded', info: engine.info() });
    } catch (error) {
      port.post({ type: 'load-failed', error: toAppError(error) });
    } finally {
      loading = false;
    }
  };

  const generate = async (message: Extract<ToHost, { type: 'generate' }>): Promise<void> => {
    const { id, request } = message;
    if (running.has(id)) return;
    if (!engine) {
      port.post({
        type: 'event',
        id,
        event: {
          type: 'error',
          error: { code: 'internal', message: 'The model is not loaded yet.' },
        },
      });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    let ended = false;
    try {
      for await (const event of engine.generate({ ...request, signal: controller.signal })) {
        // Before the answer's end, so the parent knows it by the time the answer is over.
        if (event.type === 'done') port.post({ type: 'info', info: engine.info() });
        port.post({ type: 'event', id, event });
        if (event.type === 'done' || event.type === 'error') ended = true;
      }
    } catch (error) {
      port.post({ type: 'event', id, event: { type: 'error', error: toAppError(error) } });
      ended = true;
    } finally {
      running.delete(id);
    }
    // The Engine contract promises a final event; keep the parent from waiting if one is missing.
    if (!ended) {
      port.post({
        type: 'event',
        id,
        event: {
          type: 'error',
          error: { code: 'internal', message: 'The answer ended without a result.' },
        },
      });
    }
  };

  const countTokens = async (id: string, text: string): Promise<void> => {
    try {
      if (!engine) throw new Error('The model is not loaded yet.');
      port.post({ type: 'tokens', id, count: await engine.countTokens(text) });
    } catch (error) {
      port.post({ type: 'failed', id, error: toAppError(error) });
    }
  };

  const prepare = async (id: string, mode: Mode): Promise<void> => {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!engine) throw new Error('The model is not loaded yet.');
      port.post({ type: 'prepared', id, result: await engine.prepare(mode, controller.signal) });
    } catch (error) {
      port.post({ type: 'failed', id, error: toAppError(error) });
    } finally {
      running.delete(id);
    }
  };

  const dispose = async (): Promise<void> => {
    for (const controller of running.values()) controller.abort();
    try {
      await engine?.dispose();
    } finally {
      port.post({ type: 'disposed' });
      port.exit(0);
    }
  };

  port.onMessage((raw) => {
    const parsed = toHostSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.type) {
      case 'load':
        void load(message.options);
        break;
      case 'generate':
        void generate(message);
        break;
      case 'cancel':
        running.get(message.id)?.abort();
        break;
      case 'count-tokens':
        void countTokens(message.id, message.text);
        break;
      case 'prepare':
        if (!running.has(message.id)) void prepare(message.id, message.mode);
        break;
      case 'dispose':
        void dispose();
        break;
    }
  });
}
