import { randomUUID } from 'node:crypto';
import type { AnswerEvent, ChatMessage } from '../../../shared';
import type { AgentRequest } from '../../agent';
import { clientSignal } from '../client-signal';
import type { Route } from '../router';
import { answerText, createCollector, runAnswer } from '../run-answer';
import { chatCompletionBodySchema, OPENAI_MODELS } from '../schemas';
import type { ChatCompletionBody } from '../schemas';
import { sendError, sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import type { SseStream } from '../sse-stream';
import { openSseStream } from '../sse-stream';
import { validate } from '../validate';
import { finishReason, splitMessages, usage } from './openai-messages';

/** Ponder's modes never change while it runs, so the model list has a fixed creation time. */
const CREATED = Math.floor(Date.now() / 1000);

/**
 * The agent request for an OpenAI call. The client sends the whole conversation every time, so the
 * earlier turns travel as `history` rather than through Ponder's own memory.
 */
function agentRequest(
  body: ChatCompletionBody,
): Omit<AgentRequest, 'signal'> & { history: ChatMessage[] } {
  const { question, history } = splitMessages(body.messages);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    mode: OPENAI_MODELS[body.model],
    text: question,
    history,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.seed != null ? { seed: body.seed } : {}),
    ...(maxTokens != null ? { maxTokens } : {}),
  };
}

export const openAiRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/v1/models',
    async handle({ response }) {
      sendJson(response, 200, {
        object: 'list',
        data: Object.keys(OPENAI_MODELS).map((id) => ({
          id,
          object: 'model',
          created: CREATED,
          owned_by: 'ponder',
        })),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    async handle(context) {
      const body = validate(chatCompletionBodySchema, await context.body());
      const request = agentRequest(body);
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const base = { id, created, model: body.model };
      if (body.stream) {
        await streamCompletion(context, request, base);
        return;
      }
      const collector = createCollector();
      await runAnswer(context.server, request, clientSignal(context.response), (event) =>
        collector.add(event),
      );
      const answer = collector.result;
      if (answer.error) {
        sendError(context.response, answer.error, openAiErrorFields);
        return;
      }
      sendJson(context.response, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: answerText(answer),
              ...(answer.reasoning.trim() !== ''
                ? { reasoning_content: answer.reasoning.trim() }
                : {}),
            },
            finish_reason: finishReason(answer.stats),
          },
        ],
        usage: usage(answer.stats),
        ...(answer.sources.length > 0 ? { sources: answer.sources } : {}),
      });
    },
  },
];

/** OpenAI clients read `error.type`; the AppError fields stay for Ponder's own clients. */
export function openAiErrorFields(_error: unknown, status: number): Record<string, unknown> {
  return { type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null };
}

/**
 * `chat.completion.chunk` events ending with `data: [DONE]`. The stream opens on the first event,
 * so a failure before any output (no model, busy) is still a plain JSON error with its status.
 */
async function streamCompletion(
  context: RequestContext,
  request: ReturnType<typeof agentRequest>,
  base: { id: string; created: number; model: string },
): Promise<void> {
  const signal = clientSignal(context.response);
  let stream: SseStream | undefined;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const open = async (): Promise<SseStream> => {
    if (stream) return stream;
    stream = openSseStream(context.response);
    await stream.send(chunk({ role: 'assistant', content: '' }));
    return stream;
  };
  const sources: unknown[] = [];

  await runAnswer(context.server, request, signal, async (event: AnswerEvent) => {
    switch (event.type) {
      case 'reasoning':
        await (await open()).send(chunk({ reasoning_content: event.text }));
        break;
      case 'solution':
      case 'text':
        await (await open()).send(chunk({ content: event.text }));
        break;
      case 'sources':
        sources.push(...event.sources);
        break;
      case 'done': {
        const final = { ...chunk({}, finishReason(event.stats)), usage: usage(event.stats) };
        await (await open()).send(sources.length > 0 ? { ...final, sources } : final);
        break;
      }
      case 'error':
        if (!stream) {
          sendError(context.response, event.error, openAiErrorFields);
          return;
        }
        await stream.send({ error: { ...event.error, ...openAiErrorFields(event.error, 500) } });
        break;
      default:
        break;
    }
  });
  if (stream) {
    await stream.sendRaw('[DONE]');
    stream.end();
  }
}
