import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ChatMessage, Mode } from '../../shared';
import { PonderError } from '../errors';
import type { MigrationOutcome } from './apply-migrations';
import { deriveTitle } from './derive-title';
import type {
  ConversationRecord,
  ConversationSummary,
  MessageRating,
  MessageRecord,
  NewMessage,
  SearchHit,
  StoreRecovery,
} from './memory-types';
import {
  MESSAGE_COLUMNS,
  toConversationRecord,
  toMessageRecord,
  type ConversationRow,
  type MessageRow,
} from './message-row';
import { latestQuestionModes } from './conversation-modes';
import { insertMessage } from './insert-message';
import { addAnswerVersion, selectAnswerVersion } from './message-versions';
import { editQuestion } from './edit-question';
import { setRating } from './set-rating';
import { recentTurns, type RecentTurnsOptions } from './recent-turns';
import { searchMessages, type SearchOptions } from './search-messages';
import { readQuery, writeTransaction } from './sqlite-errors';
import type { StoreContext } from './store-context';
import {
  startStreamingMessage,
  type StartStreamingInput,
  type StreamingMessageWriter,
  type StreamingWriterOptions,
} from './streaming-message-writer';
import { exportJson, type ConversationExport } from './export-json';
import { exportMarkdown } from './export-markdown';
import { importJson, type ImportOptions, type ImportResult } from './import-json';

export interface ConnectionSettings {
  journalMode: string;
  /** 2 is FULL. */
  synchronous: number;
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

/** Durable conversation history in one SQLite file. Open it with `openMemoryStore`. */
export interface MemoryStore {
  readonly path: string;
  /** Set when the file was damaged at open: where it was kept, and a notice for the person. */
  readonly recovery: StoreRecovery | undefined;
  readonly migration: MigrationOutcome;
  /** How many answers were found `streaming` at open (left by a crash) and marked `interrupted`. */
  readonly interruptedAtOpen: number;

  createConversation(input?: { title?: string }): ConversationRecord;
  getConversation(id: string): ConversationRecord | undefined;
  /** Pinned first, then the most recently updated. */
  listConversations(options?: { limit?: number; offset?: number }): ConversationSummary[];
  /** The mode of each conversation's latest question, by conversation id. */
  latestQuestionModes(): Map<string, Mode>;
  renameConversation(id: string, title: string): ConversationRecord;
  setPinned(id: string, pinned: boolean): ConversationRecord;
  deleteConversation(id: string): void;
  /** @returns how many conversations were deleted. */
  deleteAllConversations(): number;

  /** Saves a finished message; the first question of an untitled conversation becomes its title. */
  addMessage(input: NewMessage): MessageRecord;
  getMessage(id: string): MessageRecord | undefined;
  /** Oldest first. */
  listMessages(conversationId: string): MessageRecord[];
  deleteMessage(id: string): void;
  /** Deletes every later message of the same conversation, in one transaction. @returns how many. */
  deleteMessagesAfter(messageId: string): number;
  /** Thumbs up (1), down (-1) or cleared (null) on an answer. */
  setRating(messageId: string, rating: MessageRating | null): void;
  /** Replaces a question's text (edit and resend). */
  editQuestion(messageId: string, text: string): void;
  /** The mode a question was answered in, when Auto chose another than it was saved with. */
  setQuestionMode(messageId: string, mode: Mode): void;
  /** Makes `newId` the shown version of the answer `previousId` was a version of. */
  addAnswerVersion(previousId: string, newId: string): void;
  /** Shows this version of a regenerated answer instead of the others. */
  selectAnswerVersion(messageId: string): void;
  /** Starts an answer in status `streaming` and returns the writer that saves it as it grows. */
  startStreamingMessage(
    input: StartStreamingInput,
    options?: StreamingWriterOptions,
  ): StreamingMessageWriter;

  /** The last turns of a conversation as the model should see them. */
  recentTurns(conversationId: string, options: RecentTurnsOptions): Promise<ChatMessage[]>;
  search(query: string, options?: SearchOptions): SearchHit[];

  /** Every conversation when `ids` is absent. */
  exportJson(ids?: string[]): ConversationExport;
  exportMarkdown(ids?: string[]): string;
  importJson(data: unknown, options?: ImportOptions): Promise<ImportResult>;

  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;

  connectionSettings(): ConnectionSettings;
  close(): void;
  dispose(): Promise<void>;
}

function notFound(id: string): PonderError {
  return new PonderError('not-found', `No conversation with id ${id}.`, {
    hint: 'List conversations with `ponder history list`.',
  });
}

export function createMemoryStore(
  db: Database.Database,
  opened: { path: string; recovery: StoreRecovery | undefined; migration: MigrationOutcome },
): MemoryStore {
  const { path } = opened;
  const ctx: StoreContext = { db, path, now: () => Date.now() };
  const write = <T>(fn: () => T): T => writeTransaction(db, path, fn);
  const read = <T>(fn: () => T): T => readQuery(path, fn);

  const interruptedAtOpen = write(
    () =>
      db
        .prepare(
          `UPDATE messages SET status = 'interrupted', updated = ? WHERE status = 'streaming'`,
        )
        .run(ctx.now()).changes,
  );

  const getConversationRow = db.prepare<[string], ConversationRow>(
    'SELECT id, title, created, updated, pinned FROM conversations WHERE id = ?',
  );
  const getMessageRow = db.prepare<[string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`,
  );
  const listMessageRows = db.prepare<[string], MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY seq`,
  );

  const getConversation = (id: string): ConversationRecord | undefined => {
    const row = read(() => getConversationRow.get(id));
    return row ? toConversationRecord(row) : undefined;
  };
  const requireConversation = (id: string): ConversationRecord => {
    const found = getConversation(id);
    if (!found) throw notFound(id);
    return found;
  };
  const updateConversation = (id: string, sql: string, ...params: (string | number)[]) => {
    const changes = write(() => db.prepare(sql).run(...params, id).changes);
    if (changes === 0) throw notFound(id);
    return requireConversation(id);
  };

  let closed = false;
  const store: MemoryStore = {
    path,
    recovery: opened.recovery,
    migration: opened.migration,
    interruptedAtOpen,

    createConversation(input = {}) {
      const now = ctx.now();
      const id = randomUUID();
      const title = input.title === undefined ? '' : deriveTitle(input.title);
      write(() =>
        db
          .prepare('INSERT INTO conversations (id, title, created, updated) VALUES (?, ?, ?, ?)')
          .run(id, title, now, now),
      );
      return { id, title, createdAt: now, updatedAt: now, pinned: false };
    },
    getConversation,
    listConversations(options = {}) {
      const rows = read(() =>
        db
          .prepare<[number, number], ConversationRow & { message_count: number }>(
            `SELECT c.id, c.title, c.created, c.updated, c.pinned,
               (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
             FROM conversations c ORDER BY c.pinned DESC, c.updated DESC, c.created DESC
             LIMIT ? OFFSET ?`,
          )
          .all(options.limit ?? -1, options.offset ?? 0),
      );
      return rows.map((row) => ({ ...toConversationRecord(row), messageCount: row.message_count }));
    },
    latestQuestionModes() {
      return read(() => latestQuestionModes(ctx));
    },
    renameConversation(id, title) {
      const clean = title.replace(/\s+/g, ' ').trim();
      if (!clean) {
        throw new PonderError('invalid-input', 'A conversation title cannot be empty.');
      }
      return updateConversation(
        id,
        'UPDATE conversations SET title = ?, updated = ? WHERE id = ?',
        clean,
        ctx.now(),
      );
    },
    setPinned(id, pinned) {
      // Pinning is not activity: keep the conversation's place among the unpinned ones.
      return updateConversation(
        id,
        'UPDATE conversations SET pinned = ? WHERE id = ?',
        pinned ? 1 : 0,
      );
    },
    deleteConversation(id) {
      const changes = write(
        () => db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes,
      );
      if (changes === 0) throw notFound(id);
    },
    deleteAllConversations() {
      return write(() => db.prepare('DELETE FROM conversations').run().changes);
    },

    addMessage(input) {
      return write(() => insertMessage(ctx, input));
    },
    getMessage(id) {
      const row = read(() => getMessageRow.get(id));
      return row ? toMessageRecord(row) : undefined;
    },
    listMessages(conversationId) {
      return read(() => listMessageRows.all(conversationId)).map(toMessageRecord);
    },
    deleteMessage(id) {
      const changes = write(() => db.prepare('DELETE FROM messages WHERE id = ?').run(id).changes);
      if (changes === 0) throw new PonderError('not-found', `No message with id ${id}.`);
    },
    deleteMessagesAfter(messageId) {
      return write(
        () =>
          db
            .prepare(
              `DELETE FROM messages WHERE conversation_id =
                 (SELECT conversation_id FROM messages WHERE id = @id)
               AND seq > (SELECT seq FROM messages WHERE id = @id)`,
            )
            .run({ id: messageId }).changes,
      );
    },
    setRating(messageId, rating) {
      write(() => setRating(ctx, messageId, rating));
    },
    editQuestion(messageId, text) {
      write(() => editQuestion(ctx, messageId, text));
    },
    setQuestionMode(messageId, mode) {
      write(() =>
        db
          .prepare(`UPDATE messages SET mode = ? WHERE id = ? AND role = 'user'`)
          .run(mode, messageId),
      );
    },
    addAnswerVersion(previousId, newId) {
      write(() => addAnswerVersion(ctx, previousId, newId));
    },
    selectAnswerVersion(messageId) {
      write(() => selectAnswerVersion(ctx, messageId));
    },
    startStreamingMessage(input, options) {
      return startStreamingMessage(ctx, input, options);
    },

    recentTurns(conversationId, options) {
      return recentTurns(ctx, conversationId, options);
    },
    search(query, options) {
      return read(() => searchMessages(ctx, query, options));
    },

    exportJson(ids) {
      return read(() => exportJson(ctx, ids));
    },
    exportMarkdown(ids) {
      return exportMarkdown(store.exportJson(ids));
    },
    importJson(data, options) {
      return importJson(ctx, data, options);
    },

    getSetting(key) {
      const row = read(() =>
        db
          .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
          .get(key),
      );
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },
    setSetting(key, value) {
      write(() =>
        db
          .prepare(
            `INSERT INTO settings (key, value, updated) VALUES (?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
          )
          .run(key, JSON.stringify(value), ctx.now()),
      );
    },

    connectionSettings() {
      return {
        journalMode: db.pragma('journal_mode', { simple: true }) as string,
        synchronous: db.pragma('synchronous', { simple: true }) as number,
        foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
        busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
      };
    },
    close() {
      if (closed) return;
      closed = true;
      db.close();
    },
    async dispose() {
      store.close();
    },
  };
  return store;
}
