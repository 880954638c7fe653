import { z } from 'zod';
import type { Route } from '../router';
import { idSchema } from '../schemas';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

const messagePatchSchema = z
  .strictObject({
    rating: z.union([z.literal(1), z.literal(-1), z.null()]).optional(),
    shown: z.literal(true).optional(),
  })
  .refine((patch) => patch.rating !== undefined || patch.shown !== undefined, {
    message: 'give "rating" or "shown"',
  });

/** `PATCH /api/messages/:id`: a thumbs up or down on an answer, or which version of it is shown. */
export const messageRoutes: readonly Route<RequestContext>[] = [
  {
    method: 'PATCH',
    path: '/api/messages/:id',
    async handle(context, params) {
      const id = validate(idSchema, params.id, 'id');
      const patch = validate(messagePatchSchema, await context.body());
      context.server.core.conversations.updateMessage(id, patch);
      context.response.writeHead(204).end();
    },
  },
];
