import type { Mode } from '../../shared';
import type { StoreContext } from './store-context';

/**
 * The mode of each conversation's latest question, by conversation id: what the sidebar shows as
 * its badge and what reopening it restores. Conversations without a question are absent.
 */
export function latestQuestionModes(ctx: StoreContext): Map<string, Mode> {
  const rows = ctx.db
    .prepare<[], { conversation_id: string; mode: Mode }>(
      `SELECT m.conversation_id, m.mode FROM messages m
       JOIN (SELECT conversation_id, max(seq) AS seq FROM messages
             WHERE role = 'user' AND mode IS NOT NULL GROUP BY conversation_id) latest
         ON latest.seq = m.seq`,
    )
    .all();
  return new Map(rows.map((row) => [row.conversation_id, row.mode]));
}
