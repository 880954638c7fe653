import type { AnswerEvent, Mode, ResearchStep, RouteChoice, SearchDepth } from '../../../shared';
import type { Engine } from '../../llm/engine-types';
import { routeByRules, type RouteContext } from './route-rules';
import { modeOfChoice, type RouteDecision } from './route-types';
import { routeWithModel } from './route-with-model';

const FALLBACK: RouteDecision = {
  choice: 'chat',
  by: 'default',
  reason: 'no rule was sure and the model could not decide',
};

/** Auto: the fast rules first; when they are unsure, one grammar-constrained model decision. */
export async function routeQuestion(
  question: string,
  options: RouteContext & { engine?: Engine; signal?: AbortSignal } = {},
): Promise<RouteDecision> {
  const byRules = routeByRules(question, options);
  if (byRules) return byRules;
  if (!options.engine) return FALLBACK;
  return (await routeWithModel(options.engine, question, options.signal)) ?? FALLBACK;
}

const LABEL = {
  chat: 'Fast Chat',
  reasoning: 'Deep Reasoning',
  'quick-search': 'Search (quick)',
  'deep-search': 'Search (deep)',
} as const;

/**
 * Routes an Auto request and announces the choice as a `route` step (which mode, and why), so
 * every front end can show it and offer the other modes. Returns the mode and depth to run.
 * `previous` is how the conversation's previous answer was given: a follow-up ("and what about
 * X?") keeps it.
 */
export async function* chooseRoute(
  engine: Engine,
  question: string,
  options: { signal?: AbortSignal; previous?: RouteChoice } = {},
): AsyncGenerator<AnswerEvent, { mode: Mode; depth: SearchDepth; step: ResearchStep }> {
  const started = performance.now();
  const decision = await routeQuestion(question, {
    engine,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.previous ? { previous: options.previous } : {}),
  });
  const step: ResearchStep = {
    kind: 'route',
    choice: decision.choice,
    by: decision.by,
    ms: Math.round(performance.now() - started),
    text: `Auto chose ${LABEL[decision.choice]}: ${decision.reason}.`,
  };
  yield { type: 'step', step };
  // The step comes back too, so the answer can be saved with it.
  return { ...modeOfChoice(decision.choice), step };
}
