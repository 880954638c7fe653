import type { Mode, RouteChoice, SearchDepth } from '../../../../electron/shared';
import { MODE_LABEL, MODES } from '../../../../electron/shared';

/** What the mode switch offers: the explicit modes, then Auto (Ponder picks from the question). */
export type ModeChoice = Mode | 'auto';
export const MODE_CHOICES: readonly ModeChoice[] = [...MODES, 'auto'];

export const CHOICE_LABEL: Readonly<Record<ModeChoice, string>> = { ...MODE_LABEL, auto: 'Auto' };

/** The mode and depth each of Auto's choices runs (as the agent maps them). */
export const ROUTE_RUNS: Readonly<Record<RouteChoice, { mode: Mode; depth: SearchDepth }>> = {
  chat: { mode: 'chat', depth: 'quick' },
  reasoning: { mode: 'reasoning', depth: 'quick' },
  'quick-search': { mode: 'search', depth: 'quick' },
  'deep-search': { mode: 'search', depth: 'deep' },
};

export const ROUTE_LABEL: Readonly<Record<RouteChoice, string>> = {
  chat: 'Fast Chat',
  reasoning: 'Deep Reasoning',
  'quick-search': 'Search',
  'deep-search': 'Deep Search',
};
