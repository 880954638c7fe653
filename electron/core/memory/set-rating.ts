import { PonderError } from '../errors';
import type { MessageRating } from './memory-types';
import type { StoreContext } from './store-context';

/**
 * Records a person's thumbs up (1) or down (-1) on an answer, or clears it (null). Only answers
 * can be rated. Call inside a write transaction.
 */
export function setRating(
  ctx: StoreContext,
  messageId: string,
  rating: MessageRating | null,
): void {
  const changes = ctx.db
    .prepare(`UPDATE messages SET rating = ? WHERE id = ? AND role = 'assistant'`)
    .run(rating, messageId).changes;
  if (changes === 0) {
    throw new PonderError('not-found', `No answer with id ${messageId}.`);
  }
}
