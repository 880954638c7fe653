import { LlamaGrammarEvaluationState } from 'node-llama-cpp';
import type { LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from 'node-llama-cpp';
import type { AnswerEvent, GenerationStats, Mode } from '../../shared';
import { ReasoningParser } from '../reasoning';
import type { ReasoningSegment } from '../reasoning';
import type { BuiltPrompt } from './build-prompt';
import { generateNatively, releaseTopKOnDevice } from './native-decode-loop';
import { TokenTextStream } from './token-text-stream';

export interface GenerationJob {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  prompt: BuiltPrompt;
  mode: Mode;
  adapter: string;
  temperature: number;
  seed?: number;
  maxTokens: number;
  /** The caller's stop texts, besides the template's own. */
  stop?: readonly string[];
  /** Constrains every sampled token (a JSON-schema grammar). */
  grammar?: LlamaGrammar;
  signal?: AbortSignal;
  /** performance.now() when the request arrived. */
  requestedAt: number;
  onPromptProgress?: (evaluated: number, total: number) => void;
}

type StopReason = GenerationStats['stopReason'];

/**
 * Drops what the sequence holds beyond the longest prefix it shares with the new prompt, so a
 * follow-up in the same mode evaluates only its new tokens. One prompt token is always left to
 * evaluate: the next token's probabilities come from evaluating something.
 */
async function reusePrefix(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  const shared = Math.min(
    sequence.compareContextTokens(tokens).firstDifferentIndex,
    tokens.length - 1,
  );
  if (sequence.nextTokenIndex > shared) {
    try {
      await sequence.eraseContextTokenRanges([{ start: shared, end: sequence.nextTokenIndex }]);
    } catch {
      await sequence.clearHistory();
      return 0;
    }
  }
  return shared;
}

/**
 * Evaluates all but the last batch of the prompt one batch at a time, checking the signal between
 * batches, so a client that leaves during a long prompt stops it within one batch instead of after
 * all of it. Returns where the remaining tokens start, and whether it was cancelled. A prompt that
 * fits one batch is left whole to `evaluate`, so short prompts cost no extra round trip.
 */
async function evaluatePromptHead(
  job: GenerationJob,
  start: number,
): Promise<{ next: number; cancelled: boolean }> {
  const { sequence, prompt } = job;
  const batch = Math.max(1, sequence.context.batchSize);
  let next = start;
  while (prompt.tokens.length - next > batch) {
    if (job.signal?.aborted) return { next, cancelled: true };
    await sequence.evaluateWithoutGeneratingNewTokens(prompt.tokens.slice(next, next + batch));
    next += batch;
    job.onPromptProgress?.(next, prompt.tokens.length);
  }
  return { next, cancelled: job.signal?.aborted === true };
}

function toEvents(segments: ReasoningSegment[]): AnswerEvent[] {
  return segments.map((segment) => ({ type: segment.type, text: segment.text }));
}

/**
 * Evaluates the prompt and streams the reply token by token through the reasoning parser, ending
 * with `done`. The signal is checked between prompt batches and after every token, so a cancel
 * costs at most one batch or the token being computed; the sequence stays consistent for the next
 * request. A cancelled answer's `promptTokens` counts only the prompt tokens that were evaluated.
 */
export async function* generateAnswer(job: GenerationJob): AsyncGenerator<AnswerEvent> {
  const { model, sequence, prompt } = job;
  const reused = await reusePrefix(sequence, prompt.tokens);
  const parser = new ReasoningParser();
  const text = new TokenTextStream(model, [...prompt.stopTexts, ...(job.stop ?? [])]);
  const sampling =
    job.temperature > 0
      ? {
          temperature: job.temperature,
          topK: 40,
          topP: 0.95,
          ...(job.seed === undefined ? {} : { seed: job.seed }),
        }
      : { temperature: 0 };

  let stopReason: StopReason = 'max-tokens';
  let completionTokens = 0;
  let firstTokenAt: number | undefined;
  let lastTokenAt = performance.now();
  let promptTokens = prompt.tokens.length;

  const head = job.signal?.aborted
    ? { next: reused, cancelled: true }
    : await evaluatePromptHead(job, reused);
  if (head.cancelled) {
    stopReason = 'cancelled';
    promptTokens = head.next;
  } else if (job.maxTokens > 0) {
    const grammar = job.grammar;
    const tail = prompt.tokens.slice(head.next);
    // The native loop when the binding has it (a grammar needs node-llama-cpp's own loop).
    const native = grammar
      ? undefined
      : generateNatively(sequence, tail, sampling, job.maxTokens, prompt.stopTokens);
    if (!native) releaseTopKOnDevice(sequence);
    const tokens =
      native ??
      sequence.evaluate(tail, {
        ...sampling,
        ...(grammar
          ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model, grammar }) }
          : {}),
        // Without it the stream just ends at end-of-generation, indistinguishable from running
        // out of context.
        yieldEogToken: true,
      });
    try {
      for await (const token of tokens) {
        lastTokenAt = performance.now();
        firstTokenAt ??= lastTokenAt;
        if (job.signal?.aborted) {
          stopReason = 'cancelled';
          break;
        }
        if (model.isEogToken(token) || prompt.stopTokens.has(token)) {
          stopReason = 'eos';
          break;
        }
        completionTokens += 1;
        const piece = text.push(token);
        yield* toEvents(parser.push(piece.text));
        if (piece.stopped) {
          stopReason = 'stop-string';
          break;
        }
        if (completionTokens >= job.maxTokens) break;
      }
    } finally {
      // Stops the evaluation: no token after this one is computed.
      await tokens.return();
    }
  }
  if (stopReason !== 'stop-string') yield* toEvents(parser.push(text.flush()));
  yield* toEvents(parser.end());

  const finishedAt = performance.now();
  const decodeMs = firstTokenAt === undefined ? 0 : lastTokenAt - firstTokenAt;
  yield {
    type: 'done',
    stats: {
      promptTokens,
      completionTokens,
      timeToFirstTokenMs: firstTokenAt === undefined ? 0 : round(firstTokenAt - job.requestedAt),
      tokensPerSecond:
        completionTokens >= 2 && decodeMs > 0
          ? round(((completionTokens - 1) * 1000) / decodeMs)
          : 0,
      totalMs: round(finishedAt - job.requestedAt),
      stopReason,
      mode: job.mode,
      adapter: job.adapter,
    },
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
