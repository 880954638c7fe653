import type { ChatMessage, GenerationStats } from '../../../shared';
import { HttpError } from '../http-error';
import type { ChatCompletionBody } from '../schemas';

const invalid = (field: string, message: string): HttpError =>
  new HttpError(400, 'invalid-input', `Invalid "${field}": ${message}.`, { param: field });

/** Text of an OpenAI message `content`: a string, or text parts (images and audio are refused). */
function contentText(
  content: ChatCompletionBody['messages'][number]['content'],
  field: string,
): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type !== 'text' || typeof part.text !== 'string') {
        throw invalid(`${field}.${index}.type`, 'only text content is supported');
      }
      return part.text;
    })
    .join('');
}

/**
 * OpenAI messages → the question (the last message, which must be the user's) and the earlier turns
 * as history. `developer` counts as `system`; tool messages are refused (Ponder runs no client tools).
 */
export function splitMessages(messages: ChatCompletionBody['messages']): {
  question: string;
  history: ChatMessage[];
} {
  const turns = messages.map((message, index): ChatMessage => {
    if (message.role === 'tool') {
      throw invalid(`messages.${index}.role`, 'tool messages are not supported');
    }
    return {
      role: message.role === 'developer' ? 'system' : message.role,
      text: contentText(message.content, `messages.${index}.content`),
    };
  });
  const last = turns.pop();
  const lastIndex = messages.length - 1;
  if (!last || last.role !== 'user') {
    throw invalid(`messages.${lastIndex}.role`, "the last message must be the user's question");
  }
  if (last.text.trim() === '') {
    throw invalid(`messages.${lastIndex}.content`, 'the question is empty');
  }
  return { question: last.text, history: turns };
}

export type FinishReason = 'stop' | 'length';

export function finishReason(stats: GenerationStats | null): FinishReason {
  return stats?.stopReason === 'max-tokens' ? 'length' : 'stop';
}

export function usage(stats: GenerationStats | null): {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
} {
  const prompt = stats?.promptTokens ?? 0;
  const completion = stats?.completionTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
}
