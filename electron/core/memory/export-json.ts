import type { AppError, MessageStatus, Mode, Role, Source } from '../../shared';
import { PonderError } from '../errors';
import type { MessageStats } from './memory-types';
import {
  MESSAGE_COLUMNS,
  toConversationRecord,
  toMessageRecord,
  type ConversationRow,
  type MessageRow,
} from './message-row';
import type { StoreContext } from './store-context';

export const EXPORT_FORMAT = 'ponder-conversations';
/** Bumped when the file's shape changes; import reads every version up to this one. */
export const EXPORT_VERSION = 1;

export interface ExportedMessage {
  id: string;
  role: Role;
  mode: Mode | null;
  adapter: string | null;
  model: string | null;
  text: string;
  reasoning: string;
  solution: string;
  sources: Source[] | null;
  stats: MessageStats;
  status: MessageStatus;
  error: AppError | null;
  /** ISO 8601, millisecond precision. */
  createdAt: string;
  updatedAt: string;
}

export interface ExportedConversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
  pinned: boolean;
  messages: ExportedMessage[];
}

/** The JSON file `ponder history export --format json` writes and `import` reads back. */
export interface ConversationExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  conversations: ExportedConversation[];
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Every conversation (oldest first) when `ids` is absent; an unknown id is `not-found`. */
export function exportJson(ctx: StoreContext, ids?: string[]): ConversationExport {
  const { db } = ctx;
  let rows: ConversationRow[];
  if (ids === undefined) {
    rows = db
      .prepare<[], ConversationRow>(
        'SELECT id, title, created, updated, pinned FROM conversations ORDER BY created, id',
      )
      .all();
  } else {
    const one = db.prepare<[string], ConversationRow>(
      'SELECT id, title, created, updated, pinned FROM conversations WHERE id = ?',
    );
    rows = ids.map((id) => {
      const row = one.get(id);
      if (!row) {
        throw new PonderError('not-found', `No conversation with id ${id}.`, {
          hint: 'List conversations with `ponder history list`.',
        });
      }
      return row;
    });
  }
  const messagesOf = db.prepare<[string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq`,
  );
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: iso(ctx.now()),
    conversations: rows.map((row) => {
      const conversation = toConversationRecord(row);
      return {
        id: conversation.id,
        title: conversation.title,
        createdAt: iso(conversation.createdAt),
        updatedAt: iso(conversation.updatedAt),
        pinned: conversation.pinned,
        messages: messagesOf.all(conversation.id).map((messageRow) => {
          const {
            conversationId: _owner,
            createdAt,
            updatedAt,
            ...message
          } = toMessageRecord(messageRow);
          return { ...message, createdAt: iso(createdAt), updatedAt: iso(updatedAt) };
        }),
      };
    }),
  };
}
