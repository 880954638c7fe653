/**
 * Conversations as training data for the pipeline that made the adapters, one JSON object per line:
 *
 * - `sft-jsonl`: `{"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}`,
 *   the conversational format TRL's SFTTrainer and Unsloth apply the model's chat template
 *   (ChatML for Qwen) to. The last message is the answer to learn; the system message is the one
 *   the answer's mode used, and a Deep Reasoning answer keeps its reasoning tags.
 * - `grpo-jsonl`: `{"prompt": [...messages ending with the question...], "answer": "...",
 *   "reasoning": "..."}`, what TRL's GRPOTrainer takes: `prompt` is generated from (its system
 *   message is the reasoning-format instruction) and the other fields reach the reward functions
 *   as keyword arguments, `answer` being the reference solution.
 *
 * One line per answer: every complete, shown (not superseded) Fast Chat or Deep Reasoning answer,
 * with the conversation before it as context. Answers rated thumbs down are never exported; with
 * `rated: 'up'` only answers rated thumbs up are. Search answers are left out: their prompt carried
 * web passages that are not stored, so the pair would teach answers without their evidence.
 */
import { REASONING_TAGS } from '../reasoning/reasoning-tags';
import { systemPromptFor } from '../llm/system-prompts';
import type { MemoryStore } from './memory-store';
import type { MessageRecord } from './memory-types';

export const TRAINING_FORMATS = ['sft-jsonl', 'grpo-jsonl'] as const;
export type TrainingFormat = (typeof TRAINING_FORMATS)[number];

export interface TrainingExportOptions {
  format: TrainingFormat;
  /** Only answers the person rated thumbs up. */
  rated?: 'up';
  /** Conversations to export; all when absent. */
  conversationIds?: string[];
}

interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const { reasoningStart, reasoningEnd, solutionStart, solutionEnd } = REASONING_TAGS;

/** The answer as the model wrote it: reasoning and solution inside their tags, then any text. */
/**
 * The model's own reasoning: Ponder saves its notes at the start (Auto's choice, Deep Search's
 * steps, each a `▸` line) so reopened answers show them, but the model never wrote them.
 */
function modelReasoning(message: MessageRecord): string {
  return message.reasoning.replace(/^(?:▸ [^\n]*(?:\n|$))+/, '');
}

function answerContent(message: MessageRecord): string {
  const parts: string[] = [];
  const reasoning = modelReasoning(message);
  if (reasoning) parts.push(`${reasoningStart}${reasoning}${reasoningEnd}`);
  if (message.solution) parts.push(`${solutionStart}${message.solution}${solutionEnd}`);
  if (message.text) parts.push(message.text);
  return parts.join('');
}

function isShownAnswer(message: MessageRecord): boolean {
  return message.role === 'assistant' && message.status === 'complete' && !message.superseded;
}

function isTarget(message: MessageRecord, options: TrainingExportOptions): boolean {
  if (!isShownAnswer(message)) return false;
  if (message.mode !== 'chat' && message.mode !== 'reasoning') return false;
  if (message.rating === -1) return false;
  return options.rated === 'up' ? message.rating === 1 : true;
}

/** Training examples from one conversation's messages (oldest first). */
export function trainingExamples(
  messages: MessageRecord[],
  options: TrainingExportOptions,
): object[] {
  const examples: object[] = [];
  const history: ChatTurn[] = [];
  for (const message of messages) {
    if (message.role === 'user') {
      history.push({ role: 'user', content: message.text });
      continue;
    }
    if (!isShownAnswer(message)) continue;
    const question = history.at(-1);
    if (isTarget(message, options) && question?.role === 'user') {
      const mode = message.mode === 'reasoning' ? 'reasoning' : 'chat';
      if (options.format === 'sft-jsonl') {
        examples.push({
          messages: [
            { role: 'system', content: systemPromptFor(mode) },
            ...history,
            { role: 'assistant', content: answerContent(message) },
          ],
        });
      } else {
        examples.push({
          prompt: [{ role: 'system', content: systemPromptFor('reasoning') }, ...history],
          answer: message.solution || message.text,
          reasoning: modelReasoning(message),
        });
      }
    }
    history.push({ role: 'assistant', content: answerContent(message) });
  }
  return examples;
}

/** Every matching answer in the store as JSONL text, and how many lines it has. */
export function exportTrainingJsonl(
  store: MemoryStore,
  options: TrainingExportOptions,
): { text: string; count: number } {
  const ids =
    options.conversationIds ??
    store
      .listConversations()
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((conversation) => conversation.id);
  const lines: string[] = [];
  for (const id of ids) {
    for (const example of trainingExamples(store.listMessages(id), options)) {
      lines.push(JSON.stringify(example));
    }
  }
  return { text: lines.length ? `${lines.join('\n')}\n` : '', count: lines.length };
}
