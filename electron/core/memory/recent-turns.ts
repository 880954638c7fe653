import type { ChatMessage, MessageStatus, Role } from '../../shared';
import { readQuery } from './sqlite-errors';
import type { StoreContext } from './store-context';

export interface RecentTurnsOptions {
  /** A turn is a question and its answer. @default 10 */
  maxTurns?: number;
  /** Token budget for everything returned; unlimited when absent. */
  maxTokens?: number;
  /** The model's tokenizer; without one a token is taken as 4 characters. */
  countTokens?: (text: string) => number | Promise<number>;
  /** Only turns before this message, e.g. the question being answered now. */
  beforeMessageId?: string;
}

export const DEFAULT_MAX_TURNS = 10;

interface TurnRow {
  seq: number;
  role: Role;
  text: string;
  solution: string;
  status: MessageStatus;
}

/** Answers a person saw at least part of; failed and still-growing ones are not fed back. */
const FED_BACK: ReadonlySet<MessageStatus> = new Set(['complete', 'cancelled', 'interrupted']);

/** What the model gets back of an answer: the solution when there is one, never the hidden reasoning. */
function answerText(row: TurnRow): string {
  return (row.solution.trim() || row.text.trim()).trim();
}

/**
 * The last `maxTurns` turns of a conversation, oldest first, with whole turns dropped oldest-first
 * until they fit `maxTokens`.
 */
export async function recentTurns(
  ctx: StoreContext,
  conversationId: string,
  options: RecentTurnsOptions = {},
): Promise<ChatMessage[]> {
  const maxTurns = options.maxTurns ?? DEFAULT_MAX_TURNS;
  if (maxTurns <= 0) return [];
  const rows = readQuery(ctx.path, () => {
    const before =
      options.beforeMessageId === undefined
        ? undefined
        : ctx.db
            .prepare<[string], { seq: number }>('SELECT seq FROM messages WHERE id = ?')
            .get(options.beforeMessageId)?.seq;
    return ctx.db
      .prepare<[string, number], TurnRow>(
        `SELECT seq, role, text, solution, status FROM messages
         WHERE conversation_id = ? AND seq < ? AND role IN ('user', 'assistant') AND superseded = 0
         ORDER BY seq`,
      )
      .all(conversationId, before ?? Number.MAX_SAFE_INTEGER);
  });

  const turns: ChatMessage[][] = [];
  let current: ChatMessage[] | undefined;
  for (const row of rows) {
    if (row.role === 'user') {
      const question = row.text.trim();
      if (!question) continue;
      current = [{ role: 'user', text: question }];
      turns.push(current);
    } else if (current && current.length === 1 && FED_BACK.has(row.status)) {
      const answer = answerText(row);
      if (answer) current.push({ role: 'assistant', text: answer });
    }
  }

  const recent = turns.slice(-maxTurns);
  if (options.maxTokens === undefined) return recent.flat();

  const count = options.countTokens ?? ((text: string) => Math.ceil(text.length / 4));
  const kept: ChatMessage[][] = [];
  let used = 0;
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const turn = recent[i] ?? [];
    let cost = 0;
    for (const message of turn) cost += await count(message.text);
    if (used + cost > options.maxTokens) break;
    used += cost;
    kept.unshift(turn);
  }
  return kept.flat();
}
