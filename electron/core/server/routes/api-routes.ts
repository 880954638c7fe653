import type { Route } from '../router';
import { sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import {
  askBodySchema,
  conversationPatchSchema,
  downloadBodySchema,
  exportFormatSchema,
  idSchema,
  searchQuerySchema,
} from '../schemas';
import { openSseStream } from '../sse-stream';
import type { SseStream } from '../sse-stream';
import { clientSignal } from '../client-signal';
import { runAnswer } from '../run-answer';
import { settingsPatchSchema } from '../../config';
import { toAppError } from '../../errors';
import { validate } from '../validate';
import { z } from 'zod';

type ApiRoute = Route<RequestContext>;

const exportIdSchema = z.union([z.literal('all'), idSchema]);

/** The renderer's routes (HTTP_ROUTES in electron/shared/api.ts), one per PonderApi method. */
export const apiRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/health',
    async handle({ server, response }) {
      sendJson(response, 200, await server.core.health());
    },
  },
  {
    method: 'POST',
    path: '/api/ask',
    async handle(context) {
      const input = validate(askBodySchema, await context.body());
      // Bad input and a full queue are plain JSON errors; once the stream is open, failures are events.
      let stream: SseStream | undefined;
      try {
        await runAnswer(
          context.server,
          {
            mode: input.mode,
            text: input.text,
            ...(input.conversationId && input.conversationId !== 'new'
              ? { conversationId: input.conversationId }
              : {}),
            ...(input.regenerate ? { regenerate: true } : {}),
            ...(input.depth ? { depth: input.depth } : {}),
            ...(input.auto ? { auto: true } : {}),
            ...(input.research ? { research: input.research } : {}),
            ...(input.previousRoute ? { previousRoute: input.previousRoute } : {}),
            ...(input.selfSearch !== undefined ? { selfSearch: input.selfSearch } : {}),
            ...(input.stop ? { stop: input.stop } : {}),
          },
          clientSignal(context.response),
          (event) => stream?.send(event),
          () => (stream = openSseStream(context.response)),
        );
      } catch (error) {
        if (!stream) throw error;
        await stream.send({ type: 'error', error: toAppError(error) });
      } finally {
        stream?.end();
      }
    },
  },
  {
    method: 'GET',
    path: '/api/conversations',
    async handle({ server, response }) {
      sendJson(response, 200, server.core.conversations.list());
    },
  },
  {
    method: 'GET',
    path: '/api/conversations/search',
    async handle({ server, response, url }) {
      const query = validate(searchQuerySchema, url.searchParams.get('q') ?? '', 'q');
      sendJson(response, 200, server.core.conversations.search(query));
    },
  },
  {
    method: 'GET',
    path: '/api/conversations/:id',
    async handle({ server, response }, params) {
      const id = validate(idSchema, params.id, 'id');
      sendJson(response, 200, server.core.conversations.get(id));
    },
  },
  {
    method: 'PATCH',
    path: '/api/conversations/:id',
    async handle(context, params) {
      const id = validate(idSchema, params.id, 'id');
      const patch = validate(conversationPatchSchema, await context.body());
      context.server.core.conversations.update(id, patch);
      context.response.writeHead(204).end();
    },
  },
  {
    method: 'DELETE',
    path: '/api/conversations/:id',
    async handle({ server, response }, params) {
      const id = validate(idSchema, params.id, 'id');
      server.core.conversations.delete(id);
      response.writeHead(204).end();
    },
  },
  {
    method: 'GET',
    path: '/api/conversations/:id/export',
    async handle({ server, response, url }, params) {
      const id = validate(exportIdSchema, params.id, 'id');
      const format = validate(exportFormatSchema, url.searchParams.get('format') ?? '', 'format');
      const text = server.core.conversations.export(id, format);
      response.writeHead(200, {
        'Content-Type':
          format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
        'Content-Disposition': `attachment; filename="ponder-${id}.${format}"`,
        'Cache-Control': 'no-store',
      });
      response.end(text);
    },
  },
  {
    method: 'GET',
    path: '/api/settings',
    async handle({ server, response }) {
      sendJson(response, 200, server.core.settings.get());
    },
  },
  {
    method: 'PATCH',
    path: '/api/settings',
    async handle(context) {
      const patch = validate(settingsPatchSchema.strict(), await context.body());
      sendJson(context.response, 200, context.server.core.settings.update(patch));
    },
  },
  {
    method: 'GET',
    path: '/api/models/catalog',
    async handle({ server, response }) {
      sendJson(response, 200, await server.core.models.catalog());
    },
  },
  {
    method: 'POST',
    path: '/api/models/download',
    async handle(context) {
      const { id } = validate(downloadBodySchema, await context.body());
      const stream = openSseStream(context.response);
      try {
        const path = await context.server.core.models.download(
          id,
          (progress) => void stream.send({ type: 'progress', ...progress }),
          stream.signal,
        );
        await stream.send({ type: 'done', path });
      } catch (error) {
        await stream.send({ type: 'error', error: toAppError(error) });
      } finally {
        stream.end();
      }
    },
  },
];
