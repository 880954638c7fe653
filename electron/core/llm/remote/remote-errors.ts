import { PonderError } from '../../errors';
import { firstLine } from '../engine-errors';

const RETRY_HINT = 'Check that the server is running and reachable, then ask again.';

/** The message a server put in its error body (OpenAI's `{error: {message}}` or plain text). */
export function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    const error = parsed.error;
    const message =
      typeof error === 'string' ? error : (error?.message ?? parsed.message ?? undefined);
    if (typeof message === 'string' && message.trim()) return firstLine(message).slice(0, 300);
  } catch {
    // Not JSON: the text itself.
  }
  return firstLine(body).slice(0, 300) || 'no details';
}

/** What the request asked for, so an "unknown model or adapter" names the culprit. */
export interface RequestedTarget {
  mode: string;
  model?: string;
  loraIds?: number[];
}

export function unreachableError(where: string, cause: unknown): PonderError {
  const code = (cause as { cause?: { code?: string } })?.cause?.code;
  return new PonderError(
    'model-crashed',
    `The engine at ${where} cannot be reached${code ? ` (${code})` : ''}.`,
    { hint: RETRY_HINT, cause },
  );
}

export function idleTimeoutError(where: string, idleMs: number, started: boolean): PonderError {
  const seconds = Math.round(idleMs / 100) / 10;
  return new PonderError(
    'model-crashed',
    started
      ? `The engine at ${where} stopped sending for ${seconds} s mid-answer; the text so far is kept.`
      : `The engine at ${where} did not answer within ${seconds} s.`,
    { hint: 'The server may be overloaded or stuck; ask again, or raise its time limit.' },
  );
}

export function streamCutError(where: string, cause?: unknown): PonderError {
  return new PonderError(
    'model-crashed',
    `The connection to the engine at ${where} closed mid-answer; the text so far is kept.`,
    { hint: RETRY_HINT, cause },
  );
}

/** One clear error for a refused request, by status and what the server said. */
export function httpError(
  where: string,
  status: number,
  body: string,
  target: RequestedTarget,
): PonderError {
  const said = serverMessage(body);
  if (status === 401 || status === 403) {
    return new PonderError(
      'unauthorized',
      `The engine at ${where} refused the API key (${status}).`,
      {
        hint: 'Check the key (Settings → Engine, or the variable named by --engine-key-env).',
      },
    );
  }
  if (/lora|adapter/i.test(said) && target.loraIds) {
    return new PonderError(
      'adapter-missing',
      `The engine at ${where} has no adapter id ${target.loraIds.join(', ')} for ${target.mode} mode: ${said}`,
      { hint: 'Start llama-server with that adapter (--lora FILE) or fix the mode’s adapter id.' },
    );
  }
  if (status === 404 || /model .*(does not exist|not found)/i.test(said)) {
    return new PonderError(
      'model-missing',
      `The engine at ${where} does not serve the model "${target.model ?? '(default)'}" for ${target.mode} mode: ${said}`,
      { hint: 'Use a name the server lists (Test connection, or GET /v1/models).' },
    );
  }
  return new PonderError(
    'model-crashed',
    `The engine at ${where} answered HTTP ${status}: ${said}`,
    {
      hint: RETRY_HINT,
    },
  );
}
