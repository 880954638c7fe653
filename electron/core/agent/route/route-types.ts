import { ROUTE_CHOICES } from '../../../shared';
import type { Mode, RouteChoice, SearchDepth } from '../../../shared';

export { ROUTE_CHOICES };
export type { RouteChoice, SearchDepth };

/** What Auto picked, how, and why in a few words a person can read. */
export interface RouteDecision {
  choice: RouteChoice;
  /** `rules` when a fast rule was sure, `model` when the model decided, `default` when neither could. */
  by: 'rules' | 'model' | 'default';
  reason: string;
}

/** The explicit mode and depth a choice runs as. */
export function modeOfChoice(choice: RouteChoice): { mode: Mode; depth: SearchDepth } {
  switch (choice) {
    case 'chat':
      return { mode: 'chat', depth: 'quick' };
    case 'reasoning':
      return { mode: 'reasoning', depth: 'quick' };
    case 'quick-search':
      return { mode: 'search', depth: 'quick' };
    case 'deep-search':
      return { mode: 'search', depth: 'deep' };
  }
}

export function isRouteChoice(value: unknown): value is RouteChoice {
  return typeof value === 'string' && (ROUTE_CHOICES as readonly string[]).includes(value);
}
