import { PonderError } from '../errors';
import { deriveTitle } from './derive-title';
import type { StoreContext } from './store-context';

/**
 * Replaces the text of a person's question ("edit and resend"). A conversation titled after that
 * question takes the new wording. Call inside a write transaction.
 */
export function editQuestion(ctx: StoreContext, messageId: string, text: string): void {
  const row = ctx.db
    .prepare<[string], { conversation_id: string; text: string }>(
      `SELECT conversation_id, text FROM messages WHERE id = ? AND role = 'user'`,
    )
    .get(messageId);
  if (!row) throw new PonderError('not-found', `No question with id ${messageId}.`);
  const now = ctx.now();
  ctx.db
    .prepare('UPDATE messages SET text = ?, updated = ? WHERE id = ?')
    .run(text, now, messageId);
  ctx.db
    .prepare(
      `UPDATE conversations SET title = CASE WHEN title = ? THEN ? ELSE title END, updated = ?
       WHERE id = ?`,
    )
    .run(deriveTitle(row.text), deriveTitle(text), now, row.conversation_id);
}
