import { sendJsonReply, startHttpServer } from './start-http-server';
import type { LocalHttpServer } from './start-http-server';

export interface StandInOptions {
  /** Refuse requests without `Authorization: Bearer <key>` (401, as vLLM and llama-server do). */
  key?: string;
  models?: string[];
  /** llama-server's `GET /lora-adapters`; absent answers 404, as vLLM does. */
  adapters?: { id: number; path: string; scale: number }[];
  /** The streamed reply to every chat completion. */
  reply?: string;
}

/**
 * A small OpenAI-compatible server on 127.0.0.1 (models, adapters, streamed chat completions) for
 * tests of the settings around the remote engine, where the model's words do not matter.
 */
export function startOpenAiStandIn(options: StandInOptions = {}): Promise<LocalHttpServer> {
  return startHttpServer((request, response) => {
    if (options.key !== undefined && request.authorization !== `Bearer ${options.key}`) {
      sendJsonReply(response, 401, {
        error: { message: 'Invalid API Key', type: 'authentication_error', code: 401 },
      });
      return;
    }
    if (request.method === 'GET' && request.path === '/v1/models') {
      const data = (options.models ?? ['base']).map((id) => ({ id, object: 'model' }));
      sendJsonReply(response, 200, { object: 'list', data });
    } else if (request.method === 'GET' && request.path === '/lora-adapters' && options.adapters) {
      sendJsonReply(response, 200, options.adapters);
    } else if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const words = (options.reply ?? 'Four.').split(/(?<= )/);
      for (const word of words) {
        response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: word } }] })}\n\n`);
      }
      response.write(
        `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`,
      );
      response.end('data: [DONE]\n\n');
    } else {
      sendJsonReply(response, 404, { error: { message: 'File Not Found' } });
    }
  });
}
