import type { Mode } from '../../shared';
import { REASONING_TAGS } from '../reasoning';

const { reasoningStart, reasoningEnd, solutionStart, solutionEnd } = REASONING_TAGS;

/**
 * The instruction the GRPO adapter was trained with, word for word: the format reward only scored
 * replies to this prompt, so a reworded one makes the tags less likely. Search prompts build on it.
 */
export const REASONING_FORMAT_PROMPT =
  `You are given a problem.\n` +
  `Think about the problem and provide your working out.\n` +
  `Place it between ${reasoningStart} and ${reasoningEnd}.\n` +
  `Then, provide your solution between ${solutionStart}${solutionEnd}`;

const CHAT_PROMPT =
  'You are Ponder, a helpful assistant running on this computer. ' +
  'Answer directly and briefly; use a list or code only when it helps.';

const SEARCH_WITHOUT_SOURCES =
  `${REASONING_FORMAT_PROMPT}\n` +
  'No web sources are available for this question: answer from what you know, and say so when ' +
  'the answer may depend on recent information.';

/** The system prompt a mode uses when the request brings none of its own. */
export function systemPromptFor(mode: Mode): string {
  switch (mode) {
    case 'chat':
      return CHAT_PROMPT;
    case 'reasoning':
      return REASONING_FORMAT_PROMPT;
    case 'search':
      return SEARCH_WITHOUT_SOURCES;
  }
}
