import { PonderError } from '../errors';
import { EXPORT_VERSION } from './export-json';
import type { ParsedExport } from './import-schema';
import { insertMessage } from './insert-message';
import { renewUnusableIds, type RenamedConversation } from './renew-import-ids';
import { writeTransaction } from './sqlite-errors';
import type { StoreContext } from './store-context';

export interface ImportOptions {
  /** `skip` leaves conversations already in the database as they are; `fail` imports nothing. @default 'skip' */
  onDuplicate?: 'skip' | 'fail';
}

export interface ImportResult {
  imported: { id: string; title: string; messages: number }[];
  skipped: { id: string; title: string; reason: string }[];
  /** Conversations whose id in the file the API would refuse; they were imported under a new one. */
  renamed?: RenamedConversation[];
}

/**
 * Reads back a file written by `exportJson`, keeping every id, time and field exactly. Runs in one
 * transaction: either every accepted conversation is saved or none is.
 */
export async function importJson(
  ctx: StoreContext,
  data: unknown,
  options: ImportOptions = {},
): Promise<ImportResult> {
  if (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as { version?: unknown }).version === 'number' &&
    (data as { version: number }).version > EXPORT_VERSION
  ) {
    throw new PonderError('invalid-input', 'This export was made by a newer Ponder.', {
      hint: 'Update Ponder, then import it again.',
    });
  }
  // Loaded on demand: zod takes longer to load than the rest of `ponder history` together.
  const { exportFileSchema } = await import('./import-schema');
  const parsed = exportFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new PonderError(
      'invalid-input',
      `This is not a Ponder conversation export (${issue?.message ?? 'unreadable'}${where}).`,
      { hint: 'Import a file written by `ponder history export --format json`.' },
    );
  }
  const renamed = renewUnusableIds(parsed.data);
  const { db } = ctx;
  const conversationExists = db.prepare<[string], { id: string }>(
    'SELECT id FROM conversations WHERE id = ?',
  );
  const messageExists = db.prepare<[string], { id: string }>(
    'SELECT id FROM messages WHERE id = ?',
  );

  return writeTransaction(db, ctx.path, () => {
    const result: ImportResult = {
      imported: [],
      skipped: [],
      ...(renamed.length ? { renamed } : {}),
    };
    const seenMessages = new Set<string>();
    for (const conversation of parsed.data.conversations) {
      const reason = conversationExists.get(conversation.id)
        ? 'a conversation with this id is already in the database'
        : conversation.messages.some((m) => seenMessages.has(m.id) || messageExists.get(m.id))
          ? 'one of its messages is already in the database'
          : undefined;
      if (reason) {
        if (options.onDuplicate === 'fail') {
          throw new PonderError(
            'invalid-input',
            `Not imported: "${conversation.title}" (${conversation.id}): ${reason}.`,
            {
              hint: 'Delete it first, or import with duplicates skipped.',
            },
          );
        }
        result.skipped.push({ id: conversation.id, title: conversation.title, reason });
        continue;
      }
      insertConversation(ctx, conversation);
      for (const message of conversation.messages) seenMessages.add(message.id);
      result.imported.push({
        id: conversation.id,
        title: conversation.title,
        messages: conversation.messages.length,
      });
    }
    return result;
  });
}

type ParsedConversation = ParsedExport['conversations'][number];

function insertConversation(ctx: StoreContext, conversation: ParsedConversation): void {
  ctx.db
    .prepare(
      'INSERT INTO conversations (id, title, created, updated, pinned) VALUES (?, ?, ?, ?, ?)',
    )
    .run(
      conversation.id,
      conversation.title,
      conversation.createdAt,
      conversation.updatedAt,
      conversation.pinned ? 1 : 0,
    );
  for (const message of conversation.messages) {
    insertMessage(
      ctx,
      {
        ...message,
        conversationId: conversation.id,
        error: message.error
          ? {
              code: message.error.code,
              message: message.error.message,
              ...(message.error.hint === undefined ? {} : { hint: message.error.hint }),
            }
          : null,
      },
      { imported: true },
    );
    if (message.rating !== undefined || message.versionOf !== undefined || message.superseded) {
      ctx.db
        .prepare('UPDATE messages SET rating = ?, version_of = ?, superseded = ? WHERE id = ?')
        .run(
          message.rating ?? null,
          message.versionOf ?? null,
          message.superseded ? 1 : 0,
          message.id,
        );
    }
  }
}
