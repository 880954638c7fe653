import { randomUUID } from 'node:crypto';
import { clientSignal } from '../client-signal';
import type { Route } from '../router';
import { answerText, createCollector, runAnswer } from '../run-answer';
import { chatCompletionBodySchema, isOpenAiModel, OPENAI_MODELS } from '../schemas';
import { sendError, sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';
import { modelNotFound, openAiErrorFields } from './openai-errors';
import { finishReason, usage } from './openai-messages';
import { openAiAgentRequest } from './openai-request';
import { streamCompletion } from './openai-stream';

export { openAiErrorFields } from './openai-errors';

/** Ponder's modes never change while it runs, so the model list has a fixed creation time. */
const CREATED = Math.floor(Date.now() / 1000);

const modelObject = (id: string) => ({ id, object: 'model', created: CREATED, owned_by: 'ponder' });

export const openAiRoutes: Route<RequestContext>[] = [
  {
    method: 'GET',
    path: '/v1/models',
    async handle({ response }) {
      sendJson(response, 200, {
        object: 'list',
        data: Object.keys(OPENAI_MODELS).map(modelObject),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/models/:id',
    async handle({ response }, params) {
      const id = params.id ?? '';
      if (!isOpenAiModel(id)) throw modelNotFound(id);
      sendJson(response, 200, modelObject(id));
    },
  },
  {
    method: 'POST',
    path: '/v1/chat/completions',
    async handle(context) {
      const body = validate(chatCompletionBodySchema, await context.body());
      if (!isOpenAiModel(body.model)) throw modelNotFound(body.model);
      const request = openAiAgentRequest(body, body.model);
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
        // Ponder's own fields: the Search sources, and notices such as a failed search.
        ...(answer.sources.length > 0 ? { sources: answer.sources } : {}),
        ...(answer.notices.length > 0 ? { notices: answer.notices } : {}),
      });
    },
  },
];
