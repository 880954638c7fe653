import type { ResearchStep } from './events';
import type { RouteChoice } from './modes';

/**
 * History keeps each research timeline step (Deep Search's, a self-searching model's, Auto's
 * choice) as a line of the answer's reasoning, marked `▸ `, with the step's time at the end as
 * `[812 ms]` and an analysis's "what is now known" on the next marked line. `savedStepLines` writes
 * them as the answer streams; `stepsFromReasoning` reads them back, so a reopened answer shows the
 * same timeline, timings included. Training export leaves every marked line out.
 */
export const STEP_MARK = '▸ ';
export const KNOWN_PREFIX = 'Known so far: ';
const TIMING = / \[(\d+) ms\]$/;

/** The marked lines one step is saved as (each ending in a newline). */
export function savedStepLines(step: ResearchStep): string {
  const ms = step.ms === undefined ? '' : ` [${Math.max(0, Math.round(step.ms))} ms]`;
  const known = step.known ? `${STEP_MARK}${KNOWN_PREFIX}${oneLine(step.known)}\n` : '';
  return `${STEP_MARK}${oneLine(step.text)}${ms}\n${known}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

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
    rest = end === -1 ? '' : rest.slice(end + 1);
    let text = line.slice(STEP_MARK.length).trim();
    const previous = steps.at(-1);
    if (text.startsWith(KNOWN_PREFIX) && previous?.kind === 'analysis') {
      previous.known = text.slice(KNOWN_PREFIX.length);
      continue;
    }
    const timing = TIMING.exec(text);
    if (timing) text = text.slice(0, timing.index);
    steps.push({ ...kindOf(text), text, ...(timing ? { ms: Number(timing[1]) } : {}) });
  }
  // Searches are counted by rounds in the summary; a search belongs to the round last analysed + 1.
  let round = 1;
  for (const step of steps) {
    if (step.kind === 'analysis') round = (step.round ?? round) + 1;
    else if (step.kind === 'search' || step.kind === 'plan') step.round = round;
  }
  return { steps, reasoning: rest };
}
