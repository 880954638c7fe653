import { randomUUID } from 'node:crypto';
import { PonderError } from '../errors';
import { deriveTitle } from './derive-title';
import type { MessageRecord, NewMessage } from './memory-types';
import type { StoreContext } from './store-context';

/**
 * Inserts one message and marks its conversation as active; a first question titles an untitled
 * conversation. Call inside a write transaction.
 */
export function insertMessage(
  ctx: StoreContext,
  input: NewMessage,
  /** Imported messages keep their conversation's title and times exactly as exported. */
  options: { imported?: boolean } = {},
): MessageRecord {
  const { db } = ctx;
  const conversation = db
    .prepare<[string], { title: string }>('SELECT title FROM conversations WHERE id = ?')
    .get(input.conversationId);
  if (!conversation) {
    throw new PonderError('not-found', `No conversation with id ${input.conversationId}.`, {
      hint: 'List conversations with `ponder history list`.',
    });
  }
  const now = ctx.now();
  const record: MessageRecord = {
    id: input.id ?? randomUUID(),
    conversationId: input.conversationId,
    role: input.role,
    mode: input.mode ?? null,
    adapter: input.adapter ?? null,
    model: input.model ?? null,
    text: input.text,
    reasoning: input.reasoning ?? '',
    solution: input.solution ?? '',
    sources: input.sources ?? null,
    stats: {
      promptTokens: input.stats?.promptTokens ?? null,
      completionTokens: input.stats?.completionTokens ?? null,
      timeToFirstTokenMs: input.stats?.timeToFirstTokenMs ?? null,
      tokensPerSecond: input.stats?.tokensPerSecond ?? null,
      totalMs: input.stats?.totalMs ?? null,
    },
    status: input.status ?? 'complete',
    error: input.error ?? null,
    createdAt: input.createdAt ?? now,
    updatedAt: input.updatedAt ?? input.createdAt ?? now,
  };
  db.prepare(
    `INSERT INTO messages (id, conversation_id, role, mode, adapter, model, text, reasoning, solution,
       sources, prompt_tokens, completion_tokens, ttft_ms, tokens_per_second, total_ms, status, error,
       created, updated)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    record.id,
    record.conversationId,
    record.role,
    record.mode,
    record.adapter,
    record.model,
    record.text,
    record.reasoning,
    record.solution,
    record.sources === null ? null : JSON.stringify(record.sources),
    record.stats.promptTokens,
    record.stats.completionTokens,
    record.stats.timeToFirstTokenMs,
    record.stats.tokensPerSecond,
    record.stats.totalMs,
    record.status,
    record.error === null ? null : JSON.stringify(record.error),
    record.createdAt,
    record.updatedAt,
  );
  if (!options.imported) {
    const title =
      conversation.title === '' && record.role === 'user' ? deriveTitle(record.text) : null;
    db.prepare(
      'UPDATE conversations SET updated = max(updated, ?), title = coalesce(?, title) WHERE id = ?',
    ).run(now, title, record.conversationId);
  }
  return record;
}
