import type {
  ChatWrapper,
  Llama,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from 'node-llama-cpp';
import type { AdapterRole, AnswerEvent, AppError, GenerationStats, Mode } from '../../shared';
import { isMode, MODE_ADAPTER } from '../../shared';
import { PonderError, toAppError } from '../errors';
import { AdapterContexts } from './adapter-contexts';
import type { AdapterKey } from './adapter-contexts';
import { buildPrompt } from './build-prompt';
import { llamaError } from './engine-errors';
import { FastModeModels, type FastModesSetting } from './fast-modes';
import type { Engine, EngineInfo, GenerateRequest, PrepareResult } from './engine-types';
import { generateAnswer } from './generate-answer';
import { bindingHasDecodeLoop, topKPlace } from './native-decode-loop';
import { RequestQueue } from './request-queue';
import { RuntimeAdapters } from './runtime-adapters';
import { systemPromptFor } from './system-prompts';

export interface LlamaEngineParts {
  llama: Llama;
  model: LlamaModel;
  contextSize: number;
  /** Tokens per llama.cpp batch; node-llama-cpp's default when absent. */
  batchSize?: number;
  threads: number;
  threadReason: string;
  adapters: Partial<Record<AdapterRole, string>>;
  adapterErrors: Partial<Record<AdapterRole, AppError>>;
  chatWrapper: ChatWrapper | null;
  architecture: string;
  modelPath: string;
  backend: string;
  /** The app's data folder, for fast modes; the default one when absent. */
  dataDir?: string;
  /** The fastModes setting the app resolved; read from the data folder when absent. */
  fastModes?: FastModesSetting;
}

const DEFAULT_TEMPERATURE: Record<Mode, number> = { chat: 0.7, reasoning: 0.6, search: 0.6 };
const DEFAULT_MAX_TOKENS = 1024;
const JSON_GRAMMAR_END = '\n'.repeat(4);

/** The Engine over one loaded model; built by createEngine. */
export class LlamaEngine implements Engine {
  private readonly contexts: AdapterContexts;
  /** The sequence of the last answer, for info()'s `topK`. */
  private lastSequence: LlamaContextSequence | undefined;
  private readonly fastModes: FastModeModels;
  private readonly runtimeAdapters: RuntimeAdapters;
  private readonly queue = new RequestQueue();
  /** Aborts whatever runs when the engine is disposed. */
  private readonly closing = new AbortController();
  private disposed: Promise<void> | undefined;

  constructor(private readonly parts: LlamaEngineParts) {
    this.fastModes = new FastModeModels(
      parts.model,
      parts.modelPath,
      parts.adapters,
      process.env,
      parts.dataDir,
      parts.fastModes,
    );
    this.runtimeAdapters = new RuntimeAdapters(parts.adapters, {
      onGpu: parts.model.gpuLayers > 0,
      ...(parts.dataDir ? { dataDir: parts.dataDir } : {}),
    });
    const roles = Object.keys(parts.adapters) as AdapterRole[];
    // Decided now so info() can tell; a failure here only means runtime LoRA (see fast-modes.ts).
    // The modes left on runtime LoRA get their adapters' Q8_0 copies (on a GPU) made now, in the
    // background, rather than on their first use: a copy takes seconds, once per adapter.
    this.fastModes.choose().then(
      (choice) => this.runtimeAdapters.prepare(roles.filter((role) => !choice.models[role])),
      () => this.runtimeAdapters.prepare(roles),
    );
    this.contexts = new AdapterContexts(parts.model, {
      contextSize: parts.contextSize,
      threads: parts.threads,
      adapters: parts.adapters,
      runtimeAdapters: this.runtimeAdapters,
      fastModes: this.fastModes,
      ...(parts.batchSize === undefined ? {} : { batchSize: parts.batchSize }),
    });
  }

  /** Settles once fast modes are decided (merged models or runtime LoRA), so info() can say which. */
  fastModesDecided(): Promise<void> {
    return this.fastModes.choose().then(
      () => undefined,
      () => undefined,
    );
  }

  info(): EngineInfo {
    const { parts } = this;
    const topK = this.lastSequence && topKPlace(this.lastSequence);
    return {
      modelPath: parts.modelPath,
      architecture: parts.architecture,
      gpu: parts.llama.gpu,
      gpuLayers: parts.model.gpuLayers,
      threads: parts.threads,
      threadReason: parts.threadReason,
      contextSize: parts.contextSize,
      adapters: { ...parts.adapters },
      adapterErrors: { ...parts.adapterErrors },
      chatFormat: parts.chatWrapper?.wrapperName ?? 'plain',
      backend: parts.backend,
      decodeLoop: bindingHasDecodeLoop(parts.llama) ? 'native' : 'javascript',
      ...(topK ? { topK } : {}),
      ...fastModesInfo(this.fastModes),
      ...(Object.keys(parts.adapters).length > 0
        ? { runtimeAdapters: this.runtimeAdapters.info() }
        : {}),
    };
  }

  countTokens(text: string): Promise<number> {
    this.assertOpen();
    return Promise.resolve(this.parts.model.tokenize(text).length);
  }

  async prepare(mode: Mode, signal?: AbortSignal): Promise<PrepareResult> {
    this.assertOpen();
    const key = this.adapterFor(mode);
    const release = await this.queue.acquire(signal);
    try {
      const started = performance.now();
      const created = !this.contexts.has(key);
      await this.contexts.get(key, signal);
      return { mode, adapter: key, created, ms: performance.now() - started };
    } finally {
      release();
    }
  }

  async *generate(request: GenerateRequest): AsyncGenerator<AnswerEvent> {
    const requestedAt = performance.now();
    // One signal for "the caller cancelled or the engine is closing". The listeners are removed
    // at the end instead of using AbortSignal.any, whose dependents can stay tied to a long-lived
    // source (https://github.com/nodejs/node/issues/55351, .../issues/64476).
    const stop = new AbortController();
    const abort = (): void => stop.abort();
    const sources = [request.signal, this.closing.signal].filter((source) => source !== undefined);
    for (const source of sources) {
      if (source.aborted) stop.abort();
      else source.addEventListener('abort', abort, { once: true });
    }
    const { signal } = stop;
    let release: (() => void) | undefined;
    let sequence: LlamaContextSequence | undefined;
    try {
      this.assertOpen();
      if (!isMode(request.mode)) {
        throw new PonderError('invalid-input', `Unknown mode "${String(request.mode)}".`, {
          hint: 'Use chat, reasoning or search.',
        });
      }
      release = await this.queue.acquire(signal);
      const key = this.adapterFor(request.mode);
      sequence = await this.contexts.get(key, signal);
      this.lastSequence = sequence;
      const maxTokens = Math.max(0, Math.floor(request.maxTokens ?? DEFAULT_MAX_TOKENS));
      const { contextSize } = this.parts;
      const prompt = buildPrompt({
        model: this.parts.model,
        chatWrapper: this.parts.chatWrapper,
        systemPrompt: request.systemPrompt ?? systemPromptFor(request.mode),
        messages: request.messages,
        maxPromptTokens:
          contextSize - Math.max(1, Math.min(maxTokens, Math.floor(contextSize / 4))),
      });
      const grammar = request.jsonSchema ? await this.grammarFor(request.jsonSchema) : undefined;
      yield* generateAnswer({
        model: this.parts.model,
        sequence,
        prompt,
        mode: request.mode,
        adapter: key,
        temperature: request.temperature ?? DEFAULT_TEMPERATURE[request.mode],
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        maxTokens: Math.min(maxTokens, contextSize - prompt.tokens.length),
        // An empty stop text would end every reply before its first word.
        stop: [
          ...(request.stop ?? []).filter((text) => text !== ''),
          // node-llama-cpp's JSON grammar ends the object with four newlines instead of allowing eos.
          ...(grammar ? [JSON_GRAMMAR_END] : []),
        ],
        ...(grammar ? { grammar } : {}),
        signal,
        requestedAt,
        ...(request.onPromptProgress ? { onPromptProgress: request.onPromptProgress } : {}),
      });
    } catch (error) {
      if (signal.aborted && !this.closing.signal.aborted) {
        yield { type: 'done', stats: this.cancelledStats(request, requestedAt) };
        return;
      }
      // A failed evaluation can leave the KV cache half-written: start the next request clean.
      await sequence?.clearHistory().catch(() => undefined);
      yield {
        type: 'error',
        error: toAppError(
          llamaError(error, 'while generating', {
            code: 'model-crashed',
            hint: 'Try again; if it keeps failing, restart Ponder or try another model.',
          }),
        ),
      };
    } finally {
      release?.();
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  }

  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      this.closing.abort();
      const release = await this.queue.acquire();
      try {
        await this.contexts.dispose();
        await this.parts.model.dispose();
        await this.parts.llama.dispose();
      } finally {
        release();
      }
    })();
    return this.disposed;
  }

  /** node-llama-cpp's grammar for a JSON schema; a schema it cannot express is the caller's error. */
  private async grammarFor(schema: Readonly<Record<string, unknown>>): Promise<LlamaGrammar> {
    try {
      // The schema is checked by the grammar builder at run time, not by its compile-time types.
      const create = this.parts.llama.createGrammarForJsonSchema.bind(this.parts.llama) as (
        schema: object,
      ) => Promise<LlamaGrammar>;
      return await create(schema);
    } catch (error) {
      throw new PonderError(
        'invalid-input',
        `The JSON schema for the reply cannot be used: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /** The adapter a mode runs with; throws the adapter's problem when it was configured but unusable. */
  private adapterFor(mode: Mode): AdapterKey {
    const role = MODE_ADAPTER[mode];
    const problem = this.parts.adapterErrors[role];
    if (problem)
      throw new PonderError(
        problem.code,
        problem.message,
        problem.hint ? { hint: problem.hint } : {},
      );
    return this.parts.adapters[role] ? role : 'base';
  }

  /** `done` for a request cancelled before its first token (while it waited or its context loaded). */
  private cancelledStats(request: GenerateRequest, requestedAt: number): GenerationStats {
    const role = MODE_ADAPTER[request.mode];
    return {
      promptTokens: 0,
      completionTokens: 0,
      timeToFirstTokenMs: 0,
      tokensPerSecond: 0,
      totalMs: Math.round(performance.now() - requestedAt),
      stopReason: 'cancelled',
      mode: request.mode,
      adapter: role && this.parts.adapters[role] ? role : 'base',
    };
  }

  private assertOpen(): void {
    if (this.disposed) {
      throw new PonderError('internal', 'The model was unloaded.', {
        hint: 'Load the model again.',
      });
    }
  }
}

function fastModesInfo(fastModes: FastModeModels): Pick<EngineInfo, 'fastModes'> {
  const choice = fastModes.current();
  // Said only where it matters: a setting other than the default, or merged models present.
  if (!choice || (choice.setting === 'auto' && choice.found === 0)) return {};
  return { fastModes: { models: { ...choice.models }, reason: choice.reason } };
}
