import { ROUTE_CHOICES } from '../../../shared';
import type { Engine } from '../../llm/engine-types';
import { askJson } from '../research/ask-json';
import { isRouteChoice, type RouteDecision } from './route-types';

const ROUTE_SCHEMA = {
  type: 'object',
  properties: { choice: { enum: [...ROUTE_CHOICES] } },
} as const;

const ROUTE_SYSTEM_PROMPT = [
  'Choose how to answer the question. Reply with JSON only: {"choice": "..."} where the choice is',
  '"chat" (conversation, writing, or general knowledge the model knows),',
  '"reasoning" (arithmetic, logic, code or anything to work out step by step),',
  '"quick-search" (one fact that needs the web, such as something recent or about a named thing), or',
  '"deep-search" (several facts from different places put together, comparisons, multi-step questions).',
].join(' ');

/**
 * One grammar-constrained decision by the model, for questions the rules were unsure about.
 * Undefined when the model could not decide (its reply was cut off or unreadable); a cancel throws.
 */
export async function routeWithModel(
  engine: Engine,
  question: string,
  signal?: AbortSignal,
): Promise<RouteDecision | undefined> {
  const reply = await askJson(engine, {
    mode: 'chat',
    systemPrompt: ROUTE_SYSTEM_PROMPT,
    prompt: `Question: ${question.replace(/\s+/g, ' ').trim()}`,
    schema: ROUTE_SCHEMA,
    maxTokens: 24,
    ...(signal ? { signal } : {}),
  });
  if (!reply.ok || typeof reply.value !== 'object' || reply.value === null) return undefined;
  const choice = (reply.value as { choice?: unknown }).choice;
  return isRouteChoice(choice)
    ? { choice, by: 'model', reason: 'the model judged it from the question' }
    : undefined;
}
