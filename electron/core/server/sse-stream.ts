import type { ServerResponse } from 'node:http';
import { clientSignal } from './client-signal';

/** Keeps idle connections (and proxies) from timing out while a model loads or a search runs. */
const HEARTBEAT_MS = 15_000;

export interface SseStream {
  /** Aborted when the client closes the connection; streaming routes cancel their work with it. */
  readonly signal: AbortSignal;
  /** Writes one `data:` line holding the JSON of `value`; resolves once the socket takes more. */
  send(value: unknown): Promise<void>;
  /** Writes a raw `data:` payload (the OpenAI stream ends with `data: [DONE]`). */
  sendRaw(payload: string): Promise<void>;
  end(): void;
}

/**
 * One server-sent-events response: one JSON object per `data:` line (JSON.stringify never emits a
 * raw newline, so every event is exactly one line), flushed as it comes, with backpressure.
 */
export function openSseStream(
  response: ServerResponse,
  headers: Record<string, string> = {},
): SseStream {
  const signal = clientSignal(response);
  response.writeHead(200, {
    ...headers,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  response.flushHeaders();
  const heartbeat = setInterval(() => {
    if (!response.destroyed) response.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  response.on('close', () => clearInterval(heartbeat));

  const write = async (payload: string): Promise<void> => {
    if (response.destroyed || response.writableEnded) return;
    if (response.write(`data: ${payload}\n\n`)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  };

  return {
    signal,
    send: (value) => write(JSON.stringify(value)),
    sendRaw: write,
    end() {
      clearInterval(heartbeat);
      if (!response.writableEnded) response.end();
    },
  };
}
