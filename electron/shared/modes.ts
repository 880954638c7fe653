/** The three ways Ponder answers. */
export const MODES = ['chat', 'reasoning', 'search'] as const;
export type Mode = (typeof MODES)[number];

/** Which LoRA adapter a mode runs with; `base` runs the model without one. */
export type AdapterRole = 'sft' | 'grpo';

export const MODE_ADAPTER: Readonly<Record<Mode, AdapterRole>> = {
  chat: 'sft',
  reasoning: 'grpo',
  search: 'grpo',
};

export const MODE_LABEL: Readonly<Record<Mode, string>> = {
  chat: 'Fast Chat',
  reasoning: 'Deep Reasoning',
  search: 'Search',
};

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (MODES as readonly string[]).includes(value);
}

/** How far Search goes: one search (`quick`) or the plan → search → analyse loop (`deep`). */
export const SEARCH_DEPTHS = ['quick', 'deep'] as const;
export type SearchDepth = (typeof SEARCH_DEPTHS)[number];

export function isSearchDepth(value: unknown): value is SearchDepth {
  return typeof value === 'string' && (SEARCH_DEPTHS as readonly string[]).includes(value);
}

/** What Auto can pick for a question. */
export const ROUTE_CHOICES = ['chat', 'reasoning', 'quick-search', 'deep-search'] as const;
export type RouteChoice = (typeof ROUTE_CHOICES)[number];
