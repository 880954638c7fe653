import { PonderError } from '../errors';
import type { StoreContext } from './store-context';

/**
 * Versions of one answer: regenerating keeps the earlier ones. Each later version points at the
 * first with `version_of`; exactly one version of a group is not `superseded`, and that one is
 * shown and fed back to the model.
 */

/** The id that names the group a message belongs to: its `version_of`, or its own id. */
export function versionGroupOf(ctx: StoreContext, messageId: string): string | undefined {
  const row = ctx.db
    .prepare<[string], { id: string; version_of: string | null }>(
      'SELECT id, version_of FROM messages WHERE id = ?',
    )
    .get(messageId);
  return row ? (row.version_of ?? row.id) : undefined;
}

/**
 * Marks every version of `previousId`'s answer superseded and links `newId` to the group.
 * Call inside a write transaction, after the new answer was inserted.
 */
export function addAnswerVersion(ctx: StoreContext, previousId: string, newId: string): void {
  const group = versionGroupOf(ctx, previousId);
  if (group === undefined) throw new PonderError('not-found', `No message with id ${previousId}.`);
  ctx.db
    .prepare('UPDATE messages SET superseded = 1 WHERE id = @group OR version_of = @group')
    .run({ group });
  ctx.db
    .prepare('UPDATE messages SET version_of = ?, superseded = 0 WHERE id = ?')
    .run(group, newId);
}

/** Shows `messageId` instead of the other versions of its answer. Call inside a write transaction. */
export function selectAnswerVersion(ctx: StoreContext, messageId: string): void {
  const group = versionGroupOf(ctx, messageId);
  if (group === undefined) throw new PonderError('not-found', `No message with id ${messageId}.`);
  ctx.db
    .prepare(
      `UPDATE messages SET superseded = CASE WHEN id = @id THEN 0 ELSE 1 END
       WHERE id = @group OR version_of = @group`,
    )
    .run({ id: messageId, group });
}
