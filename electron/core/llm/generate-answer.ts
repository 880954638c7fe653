import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { AnswerEvent, GenerationStats, Mode } from '../../shared';
import { ReasoningParser } from '../reasoning';
import type { ReasoningSegment } from '../reasoning';
import type { BuiltPrompt } from './build-prompt';
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
  signal?: AbortSignal;
  /** performance.now() when the request arrived. */
  requestedAt: number;
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

function toEvents(segments: ReasoningSegment[]): AnswerEvent[] {
  return segments.map((segment) => ({ type: segment.type, text: segment.text }));
}

/**
 * Evaluates the prompt and streams the reply token by token through the reasoning parser, ending
 * with `done`. The signal is checked after every token, so a cancel costs at most the token being
 * computed; the sequence stays consistent for the next request.
 */
export async function* generateAnswer(job: GenerationJob): AsyncGenerator<AnswerEvent> {
  const { model, sequence, prompt } = job;
  const reused = await reusePrefix(sequence, prompt.tokens);
  const parser = new ReasoningParser();
  const text = new TokenTextStream(model, prompt.stopTexts);
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

  if (job.signal?.aborted) stopReason = 'cancelled';
  else if (job.maxTokens > 0) {
    // yieldEogToken: without it the stream just ends at end-of-generation, indistinguishable
    // from running out of context.
    const tokens = sequence.evaluate(prompt.tokens.slice(reused), {
      ...sampling,
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
      promptTokens: prompt.tokens.length,
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
