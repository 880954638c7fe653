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
