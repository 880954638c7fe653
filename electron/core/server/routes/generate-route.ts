import { isMode } from '../../../shared';
import { clientSignal } from '../client-signal';
import type { Route } from '../router';
import { answerText, createCollector, runAnswer } from '../run-answer';
import { generateBodySchema } from '../schemas';
import { sendError, sendJson } from '../send-json';
import type { RequestContext } from '../server-context';
import { validate } from '../validate';

/**
 * `POST /generate {query, mode}` answers in one JSON object as the original Flask service did
 * (`response` is the answer text), with the reasoning, solution, sources and stats beside it.
 */
export const generateRoute: Route<RequestContext> = {
  method: 'POST',
  path: '/generate',
  async handle(context) {
    const body = validate(generateBodySchema, await context.body());
    const configured = context.server.core.config.defaultMode;
    const auto = body.mode === 'auto';
    const mode =
      body.mode && body.mode !== 'auto' ? body.mode : isMode(configured) ? configured : 'chat';
    const collector = createCollector();
    await runAnswer(
      context.server,
      {
        mode,
        text: body.query,
        ...(body.conversation_id && body.conversation_id !== 'new'
          ? { conversationId: body.conversation_id }
          : {}),
        ...(body.stop ? { stop: body.stop } : {}),
        ...(auto ? { auto } : {}),
        ...(body.depth ? { depth: body.depth } : {}),
        ...(body.research ? { research: body.research } : {}),
        ...(body.previous_route ? { previousRoute: body.previous_route } : {}),
        ...(body.self_search !== undefined ? { selfSearch: body.self_search } : {}),
      },
      clientSignal(context.response),
      (event) => collector.add(event),
    );
    const answer = collector.result;
    if (answer.error) {
      sendError(context.response, answer.error);
      return;
    }
    sendJson(context.response, 200, {
      response: answerText(answer),
      reasoning: answer.reasoning.trim(),
      solution: answer.solution.trim(),
      text: answer.text.trim(),
      sources: answer.sources,
      notices: answer.notices,
      // Auto reports the mode it chose.
      mode: answer.stats?.mode ?? mode,
      conversation_id: answer.conversationId,
      stats: answer.stats,
    });
  },
};
