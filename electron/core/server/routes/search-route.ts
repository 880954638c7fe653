import { z } from 'zod';
import { clientSignal } from '../client-signal';
import type { Route } from '../router';
import type { RequestContext } from '../server-context';
import { questionSchema } from '../schemas';
import { sendJson } from '../send-json';
import { validate } from '../validate';

const searchBodySchema = z.strictObject({
  question: questionSchema,
  topK: z.number().int().min(1).max(20).optional(),
});

/**
 * `POST /api/search {question, topK?}`: what Search would read, without the model. Answers the
 * RetrievalReport: the numbered sources with the passages the model would be given.
 */
export const searchRoute: Route<RequestContext> = {
  method: 'POST',
  path: '/api/search',
  async handle(context) {
    const input = validate(searchBodySchema, await context.body());
    const report = await context.server.core.retrieve(
      input.question,
      input.topK ? { topK: input.topK } : {},
      clientSignal(context.response),
    );
    sendJson(context.response, 200, report);
  },
};
