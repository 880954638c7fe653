import type { ResearchStep, RouteChoice } from '../../../../electron/shared';

/** History keeps each timeline step as a line of the answer's reasoning, marked like this. */
const STEP_MARK = '▸ ';

/** Auto's saved line names its choice the way `chooseRoute` writes it. */
const ROUTE_WORDS: readonly [words: string, choice: RouteChoice][] = [
  ['Auto chose Fast Chat:', 'chat'],
  ['Auto chose Deep Reasoning:', 'reasoning'],
  ['Auto chose Search (quick):', 'quick-search'],
  ['Auto chose Search (deep):', 'deep-search'],
];

function routeOf(text: string): Pick<ResearchStep, 'kind' | 'choice'> {
  const choice = ROUTE_WORDS.find(([words]) => text.startsWith(words))?.[1];
  return { kind: 'route', ...(choice ? { choice } : {}) };
}

/** Which kind of step a saved line was, from the words Deep Search writes for each kind. */
function kindOf(text: string): Pick<ResearchStep, 'kind' | 'round' | 'choice'> {
  const round = /^Round (\d+):/.exec(text)?.[1];
  if (round !== undefined) return { kind: 'analysis', round: Number(round) };
  if (text.startsWith('Plan:') || text.startsWith('The plan ')) return { kind: 'plan' };
  if (text.startsWith('Searched “') || text.startsWith('Search for “')) return { kind: 'search' };
  if (text.startsWith('The model searched')) return { kind: 'self-search' };
  if (text.startsWith('Concluding from')) return { kind: 'conclusion' };
  if (text.startsWith('Auto chose')) return routeOf(text);
  return { kind: 'stopped' };
}

/**
 * Splits a saved answer's reasoning into its research timeline (the marked lines it starts with)
 * and the model's own reasoning after them, so a reopened answer looks as it did live.
 */
export function stepsFromReasoning(reasoning: string): {
  steps: ResearchStep[];
  reasoning: string;
} {
  const steps: ResearchStep[] = [];
  let rest = reasoning;
  while (rest.startsWith(STEP_MARK)) {
    const end = rest.indexOf('\n');
    const line = end === -1 ? rest : rest.slice(0, end);
    const text = line.slice(STEP_MARK.length).trim();
    steps.push({ ...kindOf(text), text });
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  // Searches are counted by rounds in the summary; a search belongs to the round last analysed + 1.
  let round = 1;
  for (const step of steps) {
    if (step.kind === 'analysis') round = (step.round ?? round) + 1;
    else if (step.kind === 'search' || step.kind === 'plan') step.round = round;
  }
  return { steps, reasoning: rest };
}
