/**
 * The schema, as numbered steps. `PRAGMA user_version` holds the number of steps applied. A step is
 * never edited after release: change the schema by appending a step, and add a fixture of the
 * previous version to the migration test.
 */
export interface Migration {
  version: number;
  summary: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    summary: 'conversations, messages and settings',
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        created INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
      );
      -- seq aliases the rowid so the full-text index can point at it and VACUUM never renumbers it.
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        mode TEXT CHECK (mode IN ('chat', 'reasoning', 'search')),
        adapter TEXT,
        model TEXT,
        text TEXT NOT NULL DEFAULT '',
        reasoning TEXT NOT NULL DEFAULT '',
        solution TEXT NOT NULL DEFAULT '',
        sources TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        ttft_ms REAL,
        tokens_per_second REAL,
        status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'cancelled', 'error', 'interrupted')),
        created INTEGER NOT NULL
      );
      CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    summary: 'full-text search over questions, answers and reasoning',
    sql: `
      CREATE VIRTUAL TABLE messages_fts USING fts5(
        text, reasoning, solution,
        content = 'messages', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 2'
      );
      -- A message is indexed once it stops streaming, so saving a growing answer stays cheap.
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
        INSERT INTO messages_fts (rowid, text, reasoning, solution)
        VALUES (new.seq, new.text, new.reasoning, new.solution);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status <> 'streaming' BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text, reasoning, solution)
        VALUES ('delete', old.seq, old.text, old.reasoning, old.solution);
      END;
      -- One trigger, so the old entry always leaves the index before the new one enters it.
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, reasoning, solution, status ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text, reasoning, solution)
        SELECT 'delete', old.seq, old.text, old.reasoning, old.solution WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, text, reasoning, solution)
        SELECT new.seq, new.text, new.reasoning, new.solution WHERE new.status <> 'streaming';
      END;
      INSERT INTO messages_fts (rowid, text, reasoning, solution)
        SELECT seq, text, reasoning, solution FROM messages WHERE status <> 'streaming';
    `,
  },
  {
    version: 3,
    summary: 'error details, total time and last update of each message; pinned-first listing',
    sql: `
      ALTER TABLE messages ADD COLUMN error TEXT;
      ALTER TABLE messages ADD COLUMN total_ms REAL;
      ALTER TABLE messages ADD COLUMN updated INTEGER;
      UPDATE messages SET updated = created;
      CREATE INDEX conversations_by_recency ON conversations (pinned DESC, updated DESC);
    `,
  },
  {
    version: 4,
    summary: "a person's rating of each answer; earlier versions of a regenerated answer",
    sql: `
      -- 1 thumbs up, -1 thumbs down, NULL unrated.
      ALTER TABLE messages ADD COLUMN rating INTEGER CHECK (rating IN (-1, 1));
      -- A regenerated answer points at the first version of the same answer; NULL otherwise.
      ALTER TABLE messages ADD COLUMN version_of TEXT;
      -- 1 for a version that another version of the same answer has replaced on screen and in the
      -- turns fed back to the model.
      ALTER TABLE messages ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0 CHECK (superseded IN (0, 1));
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
