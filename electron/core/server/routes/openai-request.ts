import type { ChatMessage } from '../../../shared';
import type { AgentRequest } from '../../agent';
import type { ChatCompletionBody, OpenAiModelId } from '../schemas';
import { OPENAI_MODELS } from '../schemas';
import { splitMessages } from './openai-messages';

export type OpenAiAgentRequest = Omit<AgentRequest, 'signal'> & { history: ChatMessage[] };

/**
 * The agent request for an OpenAI call. The client sends the whole conversation every time, so the
 * earlier turns travel as `history` rather than through Ponder's own memory. Its system messages
 * are added to the mode's prompt unless it sends `replace_system_prompt: true`.
 */
export function openAiAgentRequest(
  body: ChatCompletionBody,
  model: OpenAiModelId,
): OpenAiAgentRequest {
  const { question, history } = splitMessages(body.messages);
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  return {
    mode: OPENAI_MODELS[model],
    ...(model === 'ponder-research' ? { depth: 'deep' as const } : {}),
    ...(model === 'ponder-auto' ? { auto: true } : {}),
    text: question,
    history,
    ...(body.replace_system_prompt ? { replaceSystemPrompt: true } : {}),
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.seed != null ? { seed: body.seed } : {}),
    ...(maxTokens != null ? { maxTokens } : {}),
    ...(body.stop != null && body.stop.length > 0 ? { stop: body.stop } : {}),
  };
}
