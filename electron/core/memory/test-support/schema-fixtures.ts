/**
 * Frozen copies of every older schema, with data, exactly as a released Ponder left them. Never
 * regenerate these from MIGRATIONS: they are the evidence that old files still open.
 */
const V1_SCHEMA = `
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
  );
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
`;

const V2_FTS = `
  CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, reasoning, solution,
    content = 'messages', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
    INSERT INTO messages_fts (rowid, text, reasoning, solution)
    VALUES (new.seq, new.text, new.reasoning, new.solution);
  END;
  CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status <> 'streaming' BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text, reasoning, solution)
    VALUES ('delete', old.seq, old.text, old.reasoning, old.solution);
  END;
  CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, reasoning, solution, status ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text, reasoning, solution)
    SELECT 'delete', old.seq, old.text, old.reasoning, old.solution WHERE old.status <> 'streaming';
    INSERT INTO messages_fts (rowid, text, reasoning, solution)
    SELECT new.seq, new.text, new.reasoning, new.solution WHERE new.status <> 'streaming';
  END;
`;

const V3_COLUMNS = `
  ALTER TABLE messages ADD COLUMN error TEXT;
  ALTER TABLE messages ADD COLUMN total_ms REAL;
  ALTER TABLE messages ADD COLUMN updated INTEGER;
  UPDATE messages SET updated = created;
  CREATE INDEX conversations_by_recency ON conversations (pinned DESC, updated DESC);
`;

/** The same conversations in every version's columns. */
const DATA = `
  INSERT INTO conversations (id, title, created, updated, pinned) VALUES
    ('c-old-1', 'Prime numbers', 1700000000000, 1700000005000, 1),
    ('c-old-2', 'Café recipes', 1700000100000, 1700000100500, 0);
  INSERT INTO messages (id, conversation_id, role, mode, adapter, model, text, reasoning, solution,
      sources, prompt_tokens, completion_tokens, ttft_ms, tokens_per_second, status, created) VALUES
    ('m-1', 'c-old-1', 'user', 'reasoning', NULL, NULL, 'Is 91 a prime number?', '', '', NULL,
      NULL, NULL, NULL, NULL, 'complete', 1700000000000),
    ('m-2', 'c-old-1', 'assistant', 'reasoning', 'grpo', 'qwen2.5-1.5b.gguf', '',
      'Try dividing by small primes: 91 = 7 * 13.', 'No: 91 is 7 times 13.', NULL,
      42, 30, 120.5, 33.3, 'complete', 1700000005000),
    ('m-3', 'c-old-2', 'user', 'search', NULL, NULL, 'How do I make a café au lait?', '', '', NULL,
      NULL, NULL, NULL, NULL, 'complete', 1700000100000),
    ('m-4', 'c-old-2', 'assistant', 'search', 'grpo', 'qwen2.5-1.5b.gguf', '', '',
      'Mix hot coffee and steamed milk in equal parts [1].',
      '[{"n":1,"title":"Café au lait","url":"https://example.org/cafe","domain":"example.org","snippet":"equal parts","score":0.8,"provider":"duckduckgo"}]',
      300, 12, 250, 20, 'streaming', 1700000100500);
  INSERT INTO settings (key, value, updated) VALUES ('theme', '"dark"', 1700000000000);
`;

export const SCHEMA_FIXTURES: Readonly<Record<number, string>> = {
  1: V1_SCHEMA + DATA,
  2: V1_SCHEMA + V2_FTS + DATA,
  3: V1_SCHEMA + V2_FTS + V3_COLUMNS + DATA,
};
