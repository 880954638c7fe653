import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, openMemoryStore } from './index';
import { exited, removeBundles, runChild, waitForLine } from './test-support/run-child';
import { SCHEMA_FIXTURES } from './test-support/schema-fixtures';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();
afterAll(() => removeBundles());

function writeFixture(path: string, version: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_FIXTURES[version] ?? '');
  db.pragma(`user_version = ${version}`);
  db.close();
}

function schemaOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  const sql = db
    .prepare(`SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name`)
    .all()
    .map((row) => {
      const { name, sql } = row as { name: string; sql: string };
      return `${name}: ${sql.replace(/\s+/g, ' ')}`;
    });
  db.close();
  return sql;
}

const olderVersions = Array.from({ length: LATEST_SCHEMA_VERSION - 1 }, (_, i) => i + 1);

describe('migrations', () => {
  it('keeps a fixture of every older schema, identical to what its migrations created', () => {
    for (const version of olderVersions) {
      expect(SCHEMA_FIXTURES[version], `fixture for schema ${version}`).toBeDefined();
      const fromFixture = join(tempDir(), 'fixture.db');
      writeFixture(fromFixture, version);
      const fromMigrations = join(tempDir(), 'migrated.db');
      const db = new Database(fromMigrations);
      for (const migration of MIGRATIONS.slice(0, version)) db.exec(migration.sql);
      db.close();
      expect(schemaOf(fromFixture)).toEqual(schemaOf(fromMigrations));
    }
  });

  it.each(olderVersions)('migrates schema %i with its data, after a backup copy', (version) => {
    const path = join(tempDir(), 'ponder.db');
    writeFixture(path, version);
    const store = openMemoryStore({ path });

    expect(store.migration.from).toBe(version);
    expect(store.migration.to).toBe(LATEST_SCHEMA_VERSION);
    const backup = store.migration.backupPath ?? '';
    expect(existsSync(backup)).toBe(true);
    const copy = new Database(backup, { readonly: true });
    expect(copy.pragma('user_version', { simple: true })).toBe(version);
    expect(copy.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(4);
    copy.close();

    expect(store.listConversations()).toMatchObject([
      { id: 'c-old-1', title: 'Prime numbers', pinned: true, messageCount: 2 },
      { id: 'c-old-2', title: 'Café recipes', pinned: false, messageCount: 2 },
    ]);
    expect(store.getMessage('m-2')).toEqual({
      id: 'm-2',
      conversationId: 'c-old-1',
      role: 'assistant',
      mode: 'reasoning',
      adapter: 'grpo',
      model: 'qwen2.5-1.5b.gguf',
      text: '',
      reasoning: 'Try dividing by small primes: 91 = 7 * 13.',
      solution: 'No: 91 is 7 times 13.',
      sources: null,
      stats: {
        promptTokens: 42,
        completionTokens: 30,
        timeToFirstTokenMs: 120.5,
        tokensPerSecond: 33.3,
        totalMs: null,
      },
      status: 'complete',
      error: null,
      createdAt: 1700000005000,
      updatedAt: 1700000005000,
    });
    // The streaming answer an old version left behind is interrupted, its sources intact.
    expect(store.getMessage('m-4')).toMatchObject({
      status: 'interrupted',
      sources: [{ n: 1, url: 'https://example.org/cafe' }],
    });
    expect(store.getSetting('theme')).toBe('dark');
    // Full-text search covers what was written before it existed, accents folded.
    expect(store.search('cafe').map((hit) => hit.messageId)).toEqual(['m-3']);
    expect(store.search('steamed milk').map((hit) => hit.messageId)).toEqual(['m-4']);
    expect(store.search('7').map((hit) => hit.messageId)).toEqual(['m-2']);
    store.close();

    const reopened = openMemoryStore({ path });
    expect(reopened.migration).toEqual({
      from: LATEST_SCHEMA_VERSION,
      to: LATEST_SCHEMA_VERSION,
      backupPath: undefined,
    });
    reopened.close();
  });

  it('refuses a database from a newer Ponder and leaves it untouched', () => {
    const path = join(tempDir(), 'ponder.db');
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(path);
    expect(() => openMemoryStore({ path })).toThrow(
      expect.objectContaining({ code: 'db-error', message: expect.stringMatching(/newer Ponder/) }),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const path = join(tempDir(), 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    db.close();
    expect(() => openMemoryStore({ path })).toThrow(/not one of Ponder's/);
    const again = new Database(path);
    expect(again.prepare(`SELECT count(*) FROM sqlite_schema`).pluck().get()).toBe(1);
    again.close();
  });

  it('leaves the old schema and data intact when killed mid-migration (SECURITY #20)', async () => {
    const path = join(tempDir(), 'ponder.db');
    writeFixture(path, 1);
    // Step 2 (full-text index) has run inside the transaction when the process stops at step 3.
    const child = runChild('migrate-and-hang.ts', [path, '3']);
    await waitForLine(child, /^migrating 3$/);
    child.kill('SIGKILL');
    await exited(child);

    const db = new Database(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE name = 'messages_fts'`).get()).toBe(
      undefined,
    );
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(4);
    db.close();

    const store = openMemoryStore({ path });
    expect(store.migration.from).toBe(1);
    expect(store.search('prime').length).toBeGreaterThan(0);
    store.close();
  });

  it('writes nothing but a fresh schema into an empty file', () => {
    const path = join(tempDir(), 'ponder.db');
    writeFileSync(path, '');
    const store = openMemoryStore({ path });
    expect(store.migration.from).toBe(0);
    expect(store.listConversations()).toEqual([]);
    store.close();
  });
});
