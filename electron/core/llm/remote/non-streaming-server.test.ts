import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { collectAnswer, terminalEvents } from '../testing/collect-answer';
import { createRemoteEngine } from './create-remote-engine';
import { sendJsonReply, startHttpServer } from './testing/start-http-server';
import type { LocalHttpServer, SeenRequest } from './testing/start-http-server';

/**
 * Servers that answer `stream: true` with one plain JSON completion (no server-sent events), as some
 * OpenAI-compatible proxies do: the answer is shown whole with a notice, or one clear error.
 */
let server: LocalHttpServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Lists one model; every chat completion gets `reply` as it is, never a stream. */
function wholeAnswerServer(
  reply: (request: SeenRequest, response: ServerResponse) => void,
): Promise<LocalHttpServer> {
  return startHttpServer((request, response) => {
    if (request.method === 'GET' && request.path === '/v1/models') {
      sendJsonReply(response, 200, { object: 'list', data: [{ id: 'whole-model' }] });
    } else if (request.method === 'POST' && request.path === '/v1/chat/completions') {
      reply(request, response);
    } else {
      sendJsonReply(response, 404, { error: { message: 'Not found' } });
    }
  });
}

const completion = (content: string, finishReason = 'stop') => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'whole-model',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason }],
  usage: { prompt_tokens: 21, completion_tokens: 4, total_tokens: 25 },
});

describe('a server that does not stream', () => {
  it('shows its whole answer once, with a notice saying why it came all at once', async () => {
    server = await wholeAnswerServer((_request, response) =>
      sendJsonReply(response, 200, completion('Two and two make four.')),
    );
    const engine = await createRemoteEngine({ url: server.url });
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });

    // It was asked to stream, and did not.
    const sent = JSON.parse(server.seen.at(-1)?.body ?? '{}') as { stream?: boolean };
    expect(sent.stream).toBe(true);
    expect(answer.error).toBeUndefined();
    expect(answer.text).toBe('Two and two make four.');
    expect(answer.events[0]).toEqual({
      type: 'notice',
      text: `The engine at ${server.url} does not stream; the answer arrived whole.`,
    });
    expect(terminalEvents(answer)).toEqual(['done']);
    expect(answer.stats).toMatchObject({ stopReason: 'eos', promptTokens: 21, mode: 'chat' });
    await engine.dispose();
  });

  it('splits a whole reasoning answer into its working-out and solution', async () => {
    server = await wholeAnswerServer((_request, response) =>
      sendJsonReply(
        response,
        200,
        completion(
          '<start_working_out>2 plus 2 is 4.<end_working_out><SOLUTION>4</SOLUTION>',
          'length',
        ),
      ),
    );
    const engine = await createRemoteEngine({ url: server.url });
    const answer = await collectAnswer(engine, { mode: 'reasoning', temperature: 0 });
    expect(answer.error).toBeUndefined();
    expect(answer.reasoning).toBe('2 plus 2 is 4.');
    expect(answer.solution).toBe('4');
    expect(answer.stats?.stopReason).toBe('max-tokens');
  });

  it('gives one clear error when the JSON it sends holds no answer', async () => {
    server = await wholeAnswerServer((_request, response) =>
      sendJsonReply(response, 200, { object: 'chat.completion', choices: [] }),
    );
    const engine = await createRemoteEngine({ url: server.url });
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(answer.text).toBe('');
    expect(terminalEvents(answer)).toEqual(['error']);
    expect(answer.error).toEqual({
      code: 'model-crashed',
      message: `The engine at ${server.url} did not stream and sent no answer (application/json).`,
      hint: 'Point Ponder at an OpenAI-compatible /v1/chat/completions server.',
    });
  });

  it('gives one clear error when it answers with a web page', async () => {
    server = await wholeAnswerServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Welcome to nginx!</body></html>');
    });
    const engine = await createRemoteEngine({ url: server.url });
    const answer = await collectAnswer(engine, { mode: 'chat', temperature: 0 });
    expect(terminalEvents(answer)).toEqual(['error']);
    expect(answer.error?.message).toBe(
      `The engine at ${server.url} did not stream and sent no answer (text/html).`,
    );
  });
});
