import type { AnswerEvent, Source } from '../../../shared';
import { clientSignal } from '../client-signal';
import { runAnswer } from '../run-answer';
import { sendError } from '../send-json';
import type { RequestContext } from '../server-context';
import type { SseStream } from '../sse-stream';
import { openSseStream } from '../sse-stream';
import type { OpenAiAgentRequest } from './openai-request';
import { openAiErrorFields } from './openai-errors';
import { finishReason, usage } from './openai-messages';

/**
 * `chat.completion.chunk` events ending with `data: [DONE]`. The stream opens on the first event,
 * so a failure before any output (no model, busy) is still a plain JSON error with its status. The
 * last chunk carries `finish_reason`, `usage`, and Ponder's `sources` and `notices` (a failed
 * search, for one) when there are any.
 */
export async function streamCompletion(
  context: RequestContext,
  request: OpenAiAgentRequest,
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
  const sources: Source[] = [];
  const notices: string[] = [];

  await runAnswer(context.server, request, signal, async (event: AnswerEvent) => {
    switch (event.type) {
      case 'reasoning':
        await (await open()).send(chunk({ reasoning_content: event.text }));
        break;
      case 'step':
        // Deep Search's timeline and Auto's choice are part of the reasoning a client shows.
        await (await open()).send(chunk({ reasoning_content: `${event.step.text}\n` }));
        break;
      case 'solution':
      case 'text':
        await (await open()).send(chunk({ content: event.text }));
        break;
      case 'sources':
        sources.push(...event.sources);
        break;
      case 'notice':
        notices.push(event.text);
        break;
      case 'done': {
        const final = {
          ...chunk({}, finishReason(event.stats)),
          usage: usage(event.stats),
          ...(sources.length > 0 ? { sources } : {}),
          ...(notices.length > 0 ? { notices } : {}),
        };
        await (await open()).send(final);
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
