import type { Engine } from '../../llm/engine-types';
import type { SearchPort, TurnHandle } from '../ports';
import { createDeepSearch, type DeepSearch } from './deep-search';
import type { ResearchBudgets } from './research-budgets';
import { savedStepLines } from './saved-step-lines';

/**
 * Deep Search as the agent uses it: over the one-shot search, saving each timeline step with the
 * answer (as lines of its reasoning, with its time) so history shows the timeline on reopening.
 */
export function deepSearchPort(
  search: SearchPort | undefined,
  engine: Engine,
  budgets: Partial<ResearchBudgets> | undefined,
  turn: TurnHandle | undefined,
): DeepSearch | undefined {
  if (!search) return undefined;
  return createDeepSearch({
    engine,
    search,
    ...(budgets ? { budgets } : {}),
    onStep: (step) => turn?.append({ reasoning: savedStepLines(step) }),
  });
}
