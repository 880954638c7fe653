export { ReasoningParser, parseReasoning } from './reasoning-parser';
export type {
  ReasoningSection,
  ReasoningSegment,
  ReasoningParserOptions,
} from './reasoning-parser';
export { formatCompliance } from './format-compliance';
export type { FormatCompliance } from './format-compliance';
export { REASONING_TAGS, TAG_ORDER } from './reasoning-tags';
export type { ReasoningTag } from './reasoning-tags';
