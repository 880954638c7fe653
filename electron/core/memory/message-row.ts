import type { AppError, MessageStatus, Mode, Role, Source } from '../../shared';
import type { ConversationRecord, MessageRecord } from './memory-types';

/** A `messages` row as SQLite returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  role: Role;
  mode: Mode | null;
  adapter: string | null;
  model: string | null;
  text: string;
  reasoning: string;
  solution: string;
  sources: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  ttft_ms: number | null;
  tokens_per_second: number | null;
  total_ms: number | null;
  status: MessageStatus;
  error: string | null;
  created: number;
  updated: number | null;
  rating: number | null;
  version_of: string | null;
  superseded: number;
}

export interface ConversationRow {
  id: string;
  title: string;
  created: number;
  updated: number;
  pinned: number;
}

export const MESSAGE_COLUMNS = `id, conversation_id, role, mode, adapter, model, text, reasoning, solution,
  sources, prompt_tokens, completion_tokens, ttft_ms, tokens_per_second, total_ms, status, error,
  created, updated, rating, version_of, superseded`;

function parseJson<T>(value: string | null): T | null {
  if (value === null) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    // A hand-edited or half-migrated value must not make the whole conversation unreadable.
    return null;
  }
}

export function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    mode: row.mode,
    adapter: row.adapter,
    model: row.model,
    text: row.text,
    reasoning: row.reasoning,
    solution: row.solution,
    sources: parseJson<Source[]>(row.sources),
    stats: {
      promptTokens: row.prompt_tokens,
      completionTokens: row.completion_tokens,
      timeToFirstTokenMs: row.ttft_ms,
      tokensPerSecond: row.tokens_per_second,
      totalMs: row.total_ms,
    },
    status: row.status,
    error: parseJson<AppError>(row.error),
    createdAt: row.created,
    updatedAt: row.updated ?? row.created,
    // Absent rather than null, so records of unrated, never-regenerated answers keep their shape.
    ...(row.rating === 1 || row.rating === -1 ? { rating: row.rating } : {}),
    ...(row.version_of === null ? {} : { versionOf: row.version_of }),
    ...(row.superseded === 1 ? { superseded: true } : {}),
  };
}

export function toConversationRecord(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created,
    updatedAt: row.updated,
    pinned: row.pinned === 1,
  };
}
