import type { Mode } from '../../shared';
import { systemPromptFor } from '../llm/system-prompts';

export interface SystemPromptParts {
  mode: Mode;
  /** Search's prompt with its numbered sources, when the search found any. */
  groundedPrompt?: string;
  /** The caller's own system messages, joined. */
  callerSystem?: string;
  /** The caller asked for its system messages to replace the mode's prompt. */
  replace: boolean;
}

/**
 * The system prompt an answer runs with. A client's system message is added after the mode's
 * prompt: clients such as Open WebUI and LangChain always send one, and replacing the reasoning
 * prompt would lose the format the GRPO adapter was trained on. Replacing is explicit; even then a
 * Search answer keeps its sources, since it cites them. Undefined means the engine's default.
 */
export function composeSystemPrompt(parts: SystemPromptParts): string | undefined {
  const caller = parts.callerSystem?.trim() ? parts.callerSystem : undefined;
  if (!caller) return parts.groundedPrompt;
  if (parts.replace && !parts.groundedPrompt) return caller;
  return `${parts.groundedPrompt ?? systemPromptFor(parts.mode)}\n\n${caller}`;
}
