import type { RouteChoice, StoredMessage } from '../../../shared';
import { stepsFromReasoning } from '../../../shared/research-step-lines';

/**
 * How a conversation's latest answer was given, for Auto's follow-up rule: its mode, and for
 * Search whether it ran Deep Search (its saved timeline has a plan). Undefined without an answer.
 */
export function previousRouteOf(
  messages: readonly Pick<StoredMessage, 'role' | 'mode' | 'reasoning' | 'superseded'>[],
): RouteChoice | undefined {
  const last = messages.findLast((message) => message.role === 'assistant' && !message.superseded);
  if (!last) return undefined;
  if (last.mode !== 'search') return last.mode;
  const { steps } = stepsFromReasoning(last.reasoning);
  return steps.some((step) => step.kind === 'plan') ? 'deep-search' : 'quick-search';
}

/**
 * An Auto request that continues a saved conversation without saying how its last answer was
 * given gets it from the conversation, so "and what about X?" keeps that mode in every front end
 * (the window, the CLI's --conversation, the HTTP API's conversationId).
 */
export function withPreviousRoute<T extends AgentRouteRequest>(
  request: T,
  conversations: { get(id: string): { messages: StoredMessage[] } } | undefined,
): T {
  if (!request.auto || request.previousRoute || !conversations) return request;
  const previousRoute = previousRouteOfConversation(
    conversations,
    request.conversationId,
    request.regenerate === true,
  );
  return previousRoute ? { ...request, previousRoute } : request;
}

interface AgentRouteRequest {
  auto?: boolean;
  conversationId?: string;
  regenerate?: boolean;
  previousRoute?: RouteChoice;
}

/**
 * The previous route of a saved conversation. Undefined for a new or unknown conversation (the
 * question then fails or starts one as it would anyway).
 */
export function previousRouteOfConversation(
  conversations: { get(id: string): { messages: StoredMessage[] } },
  conversationId: string | undefined,
  /** The last question is asked again: the answer before it is the previous one. */
  regenerate = false,
): RouteChoice | undefined {
  if (!conversationId || conversationId === 'new') return undefined;
  let messages: StoredMessage[];
  try {
    messages = conversations.get(conversationId).messages;
  } catch {
    return undefined;
  }
  if (regenerate) {
    const lastQuestion = messages.findLastIndex((message) => message.role === 'user');
    messages = lastQuestion === -1 ? [] : messages.slice(0, lastQuestion);
  }
  return previousRouteOf(messages);
}
