import type { AnswerEvent, AppError, GenerationStats, Source } from '../../shared';
import type { AgentRequest } from '../agent';
import type { PonderCore } from '../app/ponder-core-types';
import type { AnswerGate } from './answer-gate';

export interface AnswerContext {
  core: PonderCore;
  gate: AnswerGate;
  /** Longest an answer may run before it is stopped. */
  answerTimeoutMs: number;
}

/**
 * Runs one answer under the gate and hands each event to `onEvent`. The core's stream is always read
 * to its end, even after the client left, so the conversation is saved with its final status and the
 * model is free before the next request starts. Throws only what the gate throws (busy, cancelled),
 * before `onStart`, so a streaming route can still answer those as plain JSON errors.
 */
export async function runAnswer(
  context: AnswerContext,
  request: Omit<AgentRequest, 'signal'>,
  clientSignal: AbortSignal,
  onEvent: (event: AnswerEvent) => void | Promise<void>,
  onStart?: () => void,
): Promise<void> {
  const release = await context.gate.acquire(clientSignal);
  onStart?.();
  const timeout = AbortSignal.timeout(context.answerTimeoutMs);
  const signal = AbortSignal.any([clientSignal, timeout]);
  try {
    for await (const event of context.core.ask({ ...request, signal })) {
      // The engine ends a stopped answer with `done` (stopReason cancelled) or a cancelled error;
      // when the time limit stopped it, the client is still there and is told why.
      const stopped =
        (event.type === 'error' && event.error.code === 'cancelled') ||
        (event.type === 'done' && event.stats.stopReason === 'cancelled');
      await onEvent(
        stopped && timeout.aborted && !clientSignal.aborted
          ? { type: 'error', error: timedOut(context.answerTimeoutMs) }
          : event,
      );
    }
  } finally {
    release();
  }
}

function timedOut(ms: number): AppError {
  return {
    code: 'cancelled',
    message: `The answer was stopped after ${Math.round(ms / 1000)} s.`,
    hint: 'Ask a shorter question, lower the answer length, or use a smaller model.',
  };
}

/** A finished answer gathered from its events, as the non-streaming routes return it. */
export interface CollectedAnswer {
  conversationId: string | null;
  reasoning: string;
  solution: string;
  text: string;
  sources: Source[];
  notices: string[];
  stats: GenerationStats | null;
  error: AppError | null;
}

export function createCollector(): { add(event: AnswerEvent): void; result: CollectedAnswer } {
  const result: CollectedAnswer = {
    conversationId: null,
    reasoning: '',
    solution: '',
    text: '',
    sources: [],
    notices: [],
    stats: null,
    error: null,
  };
  return {
    result,
    add(event) {
      switch (event.type) {
        case 'conversation':
          result.conversationId = event.id;
          break;
        case 'reasoning':
        case 'solution':
        case 'text':
          result[event.type] += event.text;
          break;
        case 'step':
          // The research timeline (and Auto's choice) is kept as lines of the reasoning.
          result.reasoning += `${event.step.text}\n`;
          break;
        case 'sources':
          result.sources = event.sources;
          break;
        case 'notice':
          result.notices.push(event.text);
          break;
        case 'done':
          result.stats = event.stats;
          break;
        case 'error':
          result.error = event.error;
          break;
        default:
          break;
      }
    },
  };
}

/** What a person reads as the answer: the solution when the model wrote one, else its plain text. */
export function answerText(answer: CollectedAnswer): string {
  return (answer.solution.trim() !== '' ? answer.solution : answer.text).trim();
}
