import { PonderError } from '../../errors';
import type { ChatCompletionBody } from './chat-request';
import { readSseData } from './read-sse-data';
import {
  httpError,
  idleTimeoutError,
  streamCutError,
  unreachableError,
  type RequestedTarget,
} from './remote-errors';

/** What one streamed completion delivers, in order; `finish` comes once, at the end. */
export type CompletionPiece =
  | { kind: 'content'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'notice'; text: string }
  | { kind: 'usage'; promptTokens: number; completionTokens: number }
  | { kind: 'finish'; reason: string };

export interface CompletionCall {
  /** Base address (checked), without `/v1`. */
  base: string;
  /** How the server is named in messages: its address, never the key. */
  where: string;
  headers: Record<string, string>;
  body: ChatCompletionBody;
  target: RequestedTarget;
  idleTimeoutMs: number;
  signal: AbortSignal;
}

interface ChunkChoice {
  delta?: { content?: string | null; reasoning_content?: string | null };
  message?: { content?: string | null; reasoning_content?: string | null };
  finish_reason?: string | null;
}

interface Chunk {
  choices?: ChunkChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: unknown;
}

function parseChunk(data: string, where: string): Chunk {
  try {
    return JSON.parse(data) as Chunk;
  } catch {
    throw new PonderError(
      'model-crashed',
      `The engine at ${where} sent a stream event that is not JSON: ${data.slice(0, 80)}`,
      { hint: 'Point Ponder at an OpenAI-compatible /v1/chat/completions server.' },
    );
  }
}

/** The pieces one chunk (or a whole non-streamed reply) carries. */
function piecesOf(chunk: Chunk): CompletionPiece[] {
  const pieces: CompletionPiece[] = [];
  const choice = chunk.choices?.[0];
  const part = choice?.delta ?? choice?.message;
  if (part?.reasoning_content) pieces.push({ kind: 'reasoning', text: part.reasoning_content });
  if (part?.content) pieces.push({ kind: 'content', text: part.content });
  if (chunk.usage && typeof chunk.usage.completion_tokens === 'number') {
    pieces.push({
      kind: 'usage',
      promptTokens: chunk.usage.prompt_tokens ?? 0,
      completionTokens: chunk.usage.completion_tokens,
    });
  }
  if (choice?.finish_reason) pieces.push({ kind: 'finish', reason: choice.finish_reason });
  return pieces;
}

/**
 * Streams one chat completion. Aborting `signal` closes the connection (the server stops
 * generating) and ends the stream quietly; the caller reports the cancellation. Everything else
 * that goes wrong is thrown as one PonderError: unreachable, refused, silent past the time limit,
 * or cut before the server said it had finished.
 */
export async function* streamCompletion(call: CompletionCall): AsyncGenerator<CompletionPiece> {
  const connection = new AbortController();
  let timedOut = false;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const armTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      connection.abort();
    }, call.idleTimeoutMs);
  };
  const onCancel = (): void => connection.abort();
  if (call.signal.aborted) return;
  call.signal.addEventListener('abort', onCancel, { once: true });
  const failure = (error: unknown): PonderError | undefined => {
    if (call.signal.aborted) return undefined;
    if (timedOut) return idleTimeoutError(call.where, call.idleTimeoutMs, started);
    if (error instanceof PonderError) return error;
    return started ? streamCutError(call.where, error) : unreachableError(call.where, error);
  };
  try {
    armTimer();
    let response: Response;
    try {
      response = await fetch(`${call.base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...call.headers },
        body: JSON.stringify(call.body),
        signal: connection.signal,
        redirect: 'error',
      });
    } catch (error) {
      const problem = failure(error);
      if (problem) throw problem;
      return;
    }
    started = true;
    armTimer();
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw httpError(call.where, response.status, text, call.target);
    }
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('text/event-stream') || !response.body) {
      // A server that ignores `stream: true` still answered: show it whole, and say why it came late.
      const whole = (await response.json().catch(() => ({}))) as Chunk;
      const pieces = piecesOf(whole);
      if (!pieces.some((piece) => piece.kind === 'finish')) {
        throw new PonderError(
          'model-crashed',
          `The engine at ${call.where} did not stream and sent no answer (${type || 'no content type'}).`,
          { hint: 'Point Ponder at an OpenAI-compatible /v1/chat/completions server.' },
        );
      }
      yield {
        kind: 'notice',
        text: `The engine at ${call.where} does not stream; the answer arrived whole.`,
      };
      yield* pieces;
      return;
    }
    let finished = false;
    try {
      for await (const data of readSseData(response.body)) {
        armTimer();
        if (data.trim() === '[DONE]') break;
        const chunk = parseChunk(data, call.where);
        if (chunk.error) throw httpError(call.where, 500, data, call.target);
        for (const piece of piecesOf(chunk)) {
          if (piece.kind === 'finish') finished = true;
          yield piece;
        }
      }
    } catch (error) {
      const problem = failure(error);
      if (problem) throw problem;
      return;
    }
    if (!finished && !call.signal.aborted) throw streamCutError(call.where);
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onCancel);
    // Leaving early (a cancel, or the consumer stopping) must close the connection too.
    connection.abort();
  }
}
