import type { AdapterRole, AnswerEvent, GenerationStats, Mode } from '../../../shared';
import { isMode, MODE_ADAPTER } from '../../../shared';
import { PonderError, toAppError } from '../../errors';
import { ReasoningParser } from '../../reasoning';
import type { ReasoningSegment } from '../../reasoning';
import type { Engine, EngineInfo, GenerateRequest, PrepareResult } from '../engine-types';
import { systemPromptFor } from '../system-prompts';
import { chatRequestBody } from './chat-request';
import { checkModeTarget } from './check-mode-target';
import type { RemoteEngineProbe } from './probe-remote-engine';
import { DEFAULT_IDLE_TIMEOUT_MS } from './remote-engine-options';
import type { RemoteEngineOptions, RemoteModeTarget } from './remote-engine-options';
import type { RequestedTarget } from './remote-errors';
import { streamCompletion } from './stream-completion';
import { countRemoteTokens } from './count-remote-tokens';

const DEFAULT_TEMPERATURE: Record<Mode, number> = { chat: 0.7, reasoning: 0.6, search: 0.6 };
const DEFAULT_MAX_TOKENS = 1024;

const FINISH_REASON: Record<string, GenerationStats['stopReason']> = {
  stop: 'eos',
  length: 'max-tokens',
};

function toEvents(segments: ReasoningSegment[]): AnswerEvent[] {
  return segments.map((segment) => ({ type: segment.type, text: segment.text }));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * An Engine whose model runs on an OpenAI-compatible server (vLLM, llama-server): it streams
 * /v1/chat/completions, picking each mode's adapter by model name (vLLM) or LoRA id (llama-server).
 * Events, stats, cancellation and errors follow the local engine's contract; requests are not
 * queued here, because the server batches them.
 */
export class OpenAiCompatibleEngine implements Engine {
  private readonly closing = new AbortController();
  private readonly headers: Record<string, string>;
  private readonly idleTimeoutMs: number;

  /** `base` is the checked address (checkEngineUrl); `probe` what the server offered at connect. */
  constructor(
    private readonly base: string,
    private readonly options: RemoteEngineOptions,
    private readonly probe: RemoteEngineProbe,
  ) {
    this.headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  /** The address as shown to a person (never the key). */
  get where(): string {
    return this.base;
  }

  info(): EngineInfo {
    const adapters: EngineInfo['adapters'] = {};
    for (const mode of ['chat', 'reasoning'] as const) {
      const target = this.options.modes?.[mode];
      if (target) adapters[MODE_ADAPTER[mode]] = describeTarget(target);
    }
    return {
      modelPath: this.base,
      architecture: 'remote',
      gpu: false,
      gpuLayers: 0,
      threads: 0,
      threadReason: `The model runs on the engine at ${this.base}.`,
      contextSize: this.probe.contextSize ?? this.options.contextSize ?? 4096,
      adapters,
      adapterErrors: {},
      chatFormat: 'server template',
      backend: `remote (${this.probe.adapters ? 'llama-server' : 'OpenAI-compatible'})`,
    };
  }

  countTokens(text: string): Promise<number> {
    return countRemoteTokens(this.base, this.headers, this.defaultModel(), text);
  }

  prepare(mode: Mode): Promise<PrepareResult> {
    const started = performance.now();
    const problem = checkModeTarget(this.where, mode, this.options.modes?.[mode], this.probe);
    if (problem) return Promise.reject(problem);
    return Promise.resolve({
      mode,
      adapter: this.adapterLabel(mode),
      created: false,
      ms: performance.now() - started,
    });
  }

  async *generate(request: GenerateRequest): AsyncGenerator<AnswerEvent> {
    const requestedAt = performance.now();
    const stop = new AbortController();
    const abort = (): void => stop.abort();
    const sources = [request.signal, this.closing.signal].filter((source) => source !== undefined);
    for (const source of sources) {
      if (source.aborted) stop.abort();
      else source.addEventListener('abort', abort, { once: true });
    }
    const parser = new ReasoningParser();
    let promptTokens = 0;
    let completionTokens = 0;
    let usageTokens: number | undefined;
    let stopReason: GenerationStats['stopReason'] = 'max-tokens';
    let firstTokenAt: number | undefined;
    let lastTokenAt = requestedAt;
    try {
      if (this.closing.signal.aborted) {
        throw new PonderError('internal', 'The engine was closed.', { hint: 'Connect again.' });
      }
      if (!isMode(request.mode)) {
        throw new PonderError('invalid-input', `Unknown mode "${String(request.mode)}".`, {
          hint: 'Use chat, reasoning or search.',
        });
      }
      const mode = request.mode;
      const target = this.options.modes?.[mode];
      const problem = checkModeTarget(this.where, mode, target, this.probe);
      if (problem) throw problem;
      const body = chatRequestBody({
        mode,
        target,
        defaultModel: this.defaultModel(),
        systemPrompt: request.systemPrompt ?? systemPromptFor(mode),
        messages: request.messages,
        temperature: request.temperature ?? DEFAULT_TEMPERATURE[mode],
        ...(request.seed === undefined ? {} : { seed: request.seed }),
        maxTokens: Math.max(1, Math.floor(request.maxTokens ?? DEFAULT_MAX_TOKENS)),
      });
      const requested: RequestedTarget = {
        mode,
        ...(body.model ? { model: body.model } : {}),
        ...(body.lora ? { loraIds: body.lora.map((adapter) => adapter.id) } : {}),
      };
      for await (const piece of streamCompletion({
        base: this.base,
        where: this.where,
        headers: this.headers,
        body,
        target: requested,
        idleTimeoutMs: this.idleTimeoutMs,
        signal: stop.signal,
      })) {
        if (piece.kind === 'content' || piece.kind === 'reasoning') {
          lastTokenAt = performance.now();
          firstTokenAt ??= lastTokenAt;
          // One streamed piece is one token on both servers; the usage, when sent, is exact.
          completionTokens += 1;
          if (piece.kind === 'reasoning') yield { type: 'reasoning', text: piece.text };
          else yield* toEvents(parser.push(piece.text));
        } else if (piece.kind === 'usage') {
          promptTokens = piece.promptTokens;
          usageTokens = piece.completionTokens;
        } else if (piece.kind === 'finish') {
          stopReason = FINISH_REASON[piece.reason] ?? 'eos';
        } else {
          yield { type: 'notice', text: piece.text };
        }
      }
      if (stop.signal.aborted) {
        if (this.closing.signal.aborted && !request.signal?.aborted) {
          throw new PonderError('internal', 'The engine was closed.', { hint: 'Connect again.' });
        }
        stopReason = 'cancelled';
      }
      yield* toEvents(parser.end());
      const decodeMs = firstTokenAt === undefined ? 0 : lastTokenAt - firstTokenAt;
      // llama-server and vLLM both count the end-of-generation token; the local engine does not.
      const tokens =
        usageTokens === undefined
          ? completionTokens
          : Math.max(completionTokens, usageTokens - (stopReason === 'eos' ? 1 : 0));
      yield {
        type: 'done',
        stats: {
          promptTokens,
          completionTokens: tokens,
          timeToFirstTokenMs: firstTokenAt === undefined ? 0 : round(firstTokenAt - requestedAt),
          tokensPerSecond:
            completionTokens >= 2 && decodeMs > 0
              ? round(((completionTokens - 1) * 1000) / decodeMs)
              : 0,
          totalMs: round(performance.now() - requestedAt),
          stopReason,
          mode,
          adapter: this.adapterLabel(mode),
        },
      };
    } catch (error) {
      // Whatever arrived before the failure stays shown: the parser lets go of what it held.
      yield* toEvents(parser.end());
      yield { type: 'error', error: toAppError(error) };
    } finally {
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  }

  dispose(): Promise<void> {
    this.closing.abort();
    return Promise.resolve();
  }

  /** `sft` / `grpo` when the mode has a target on the server, else `base` (as the local engine says). */
  private adapterLabel(mode: Mode): AdapterRole | 'base' {
    const target = this.options.modes?.[mode];
    const hasAdapter = target?.lora
      ? target.lora.some((a) => a.scale !== 0)
      : Boolean(target?.model);
    return hasAdapter ? MODE_ADAPTER[mode] : 'base';
  }

  private defaultModel(): string | undefined {
    return this.options.defaultModel ?? this.probe.models[0];
  }
}

/** How a mode's adapter is shown in info() and health: `model sft` or `lora 0×1`. */
export function describeTarget(target: RemoteModeTarget): string {
  if (target.lora)
    return `lora ${target.lora.map((a) => `${a.id}×${a.scale}`).join(', ') || 'none'}`;
  return `model ${target.model ?? '(default)'}`;
}
