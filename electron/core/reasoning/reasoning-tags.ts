/**
 * The tags the GRPO adapter was trained to write (the same strings as its training rewards).
 * They are matched exactly, case included, because that is what the rewards scored.
 */
export const REASONING_TAGS = {
  reasoningStart: '<start_working_out>',
  reasoningEnd: '<end_working_out>',
  solutionStart: '<SOLUTION>',
  solutionEnd: '</SOLUTION>',
} as const;

export type ReasoningTag = (typeof REASONING_TAGS)[keyof typeof REASONING_TAGS];

/** In the order a well-formed answer writes them. */
export const TAG_ORDER: readonly ReasoningTag[] = [
  REASONING_TAGS.reasoningStart,
  REASONING_TAGS.reasoningEnd,
  REASONING_TAGS.solutionStart,
  REASONING_TAGS.solutionEnd,
];
