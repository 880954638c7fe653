import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PonderError } from '../errors';
import { openMemoryStore, recoverMemoryDatabase, salvageInto } from './index';
import { exited, removeBundles, runChild, waitForLine } from './test-support/run-child';
import { useTempDir } from './test-support/temp-dir';

const tempDir = useTempDir();
afterAll(() => removeBundles());

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('a busy database (SECURITY #20)', () => {
  it('waits for another process to release the write lock, then writes', async () => {
    const path = join(tempDir(), 'ponder.db');
    openMemoryStore({ path }).close();
    const holder = runChild('hold-write-lock.ts', [path, '1500']);
    await waitForLine(holder, /^locked$/);
    const probe = new Database(path, { timeout: 0 });
    expect(() => probe.exec('BEGIN IMMEDIATE')).toThrow(/locked|busy/);
    probe.close();

    // Opening writes too (answers left streaming become interrupted): both wait for the lock.
    const store = openMemoryStore({ path, busyTimeoutMs: 20_000 });
    const conversation = store.createConversation({ title: 'after the lock' });
    expect(store.getConversation(conversation.id)?.title).toBe('after the lock');
    await exited(holder);
    expect(holder.exitCode).toBe(0);
    store.close();
  });

  it('gives db-busy, not a crash, when the lock is held too long; works once it is free', () => {
    const path = join(tempDir(), 'ponder.db');
    const store = openMemoryStore({ path, busyTimeoutMs: 150 });
    const conversation = store.createConversation();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');

    const error = caught(() =>
      store.addMessage({ conversationId: conversation.id, role: 'user', text: 'hi' }),
    );
    expect(error).toBeInstanceOf(PonderError);
    expect(error).toMatchObject({ code: 'db-busy', message: expect.stringMatching(/busy/) });
    expect((error as PonderError).hint).toMatch(/try again/);

    // A streaming answer keeps its text in memory while the lock is held, and saves it afterwards.
    other.exec('COMMIT');
    const answer = store.startStreamingMessage(
      { conversationId: conversation.id, mode: 'chat', adapter: 'sft', model: 'm.gguf' },
      { flushIntervalMs: 0 },
    );
    other.exec('BEGIN IMMEDIATE');
    answer.append({ text: 'kept in memory' });
    expect(answer.lastError).toMatchObject({ code: 'db-busy' });
    expect(answer.acknowledged().text).toBe(0);
    other.exec('COMMIT');
    answer.flush();
    expect(answer.lastError).toBeUndefined();
    expect(answer.acknowledged().text).toBe('kept in memory'.length);
    answer.finish({ status: 'complete' });
    expect(store.getMessage(answer.messageId)?.text).toBe('kept in memory');

    expect(
      store.addMessage({ conversationId: conversation.id, role: 'user', text: 'hi' }).text,
    ).toBe('hi');
    other.close();
    store.close();
  });

  it('gives db-busy when opening while another program holds the lock', () => {
    const path = join(tempDir(), 'ponder.db');
    openMemoryStore({ path }).close();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    expect(() => openMemoryStore({ path, busyTimeoutMs: 100 })).toThrow(
      expect.objectContaining({ code: 'db-busy' }),
    );
    other.exec('ROLLBACK');
    other.close();
  });
});

describe('a damaged database (SECURITY #20)', () => {
  /** 40 conversations of one question and one answer each, spread over many pages. */
  function seedMany(path: string): void {
    const store = openMemoryStore({ path });
    for (let i = 0; i < 40; i += 1) {
      const conversation = store.createConversation({ title: `conversation ${i}` });
      store.addMessage({
        conversationId: conversation.id,
        role: 'user',
        text: `question ${i} `.repeat(60),
      });
      store.addMessage({
        conversationId: conversation.id,
        role: 'assistant',
        text: `answer ${i} `.repeat(60),
      });
    }
    store.close();
  }

  function damagePages(path: string, firstPage: number, pages: number): Buffer {
    const pageSize = 4096;
    expect(statSync(path).size).toBeGreaterThan(pageSize * (firstPage + pages + 4));
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * pages, 0xa5), 0, pageSize * pages, pageSize * firstPage);
    closeSync(fd);
    return readFileSync(path);
  }

  it('refuses a file that is not a database and leaves it byte for byte, with nothing beside it', () => {
    const dir = tempDir();
    const path = join(dir, 'ponder.db');
    writeFileSync(path, 'these bytes were never a SQLite database '.repeat(200));
    const before = readFileSync(path);
    const error = caught(() => openMemoryStore({ path }));
    expect(error).toMatchObject({ code: 'db-corrupt' });
    expect((error as PonderError).message).toContain('left untouched');
    expect((error as PonderError).hint).toMatch(/--recover/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['ponder.db']);
  });

  it('refuses damaged pages found by quick_check, changing nothing', () => {
    const dir = tempDir();
    const path = join(dir, 'ponder.db');
    seedMany(path);
    const damaged = damagePages(path, 3, 3);
    expect(() => openMemoryStore({ path })).toThrow(
      expect.objectContaining({ code: 'db-corrupt' }),
    );
    expect(readFileSync(path).equals(damaged)).toBe(true);
    expect(readdirSync(dir)).toEqual(['ponder.db']);
  });

  it('on recovery keeps a non-database aside and starts an empty store', () => {
    const dir = tempDir();
    const path = join(dir, 'ponder.db');
    writeFileSync(path, 'these bytes were never a SQLite database '.repeat(200));
    const store = openMemoryStore({ path, onCorrupt: 'recover' });

    const recovery = store.recovery;
    expect(recovery?.code).toBe('db-corrupt');
    expect(recovery?.movedTo).toMatch(/ponder\.db\.damaged-/);
    expect(readFileSync(recovery?.movedTo ?? '', 'utf8')).toMatch(/^these bytes were never/);
    expect(recovery?.salvaged).toEqual({ conversations: 0, messages: 0 });
    expect(recovery?.notice).toEqual({
      code: 'db-corrupt',
      message: `The conversation database was damaged: it was kept at ${recovery?.movedTo}, and a new one was started with the 0 conversations and 0 messages that could still be read.`,
      hint: expect.any(String),
    });
    const conversation = store.createConversation({ title: 'fresh start' });
    expect(store.listConversations().map((c) => c.id)).toEqual([conversation.id]);
    store.close();
    expect(openMemoryStore({ path }).recovery).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(
      ['ponder.db', 'ponder.db-shm', 'ponder.db-wal', basename(recovery?.movedTo ?? '')].sort(),
    );
  });

  it('on recovery salvages every conversation SQLite can still read around damaged pages', () => {
    const path = join(tempDir(), 'ponder.db');
    seedMany(path);
    // Two leaf pages in the middle of the messages table: the rows on them are what is lost.
    const probe = new Database(path, { readonly: true });
    const leaves = probe
      .prepare(
        `SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' ORDER BY pageno`,
      )
      .pluck()
      .all() as number[];
    probe.close();
    expect(leaves.length).toBeGreaterThan(6);
    const middle = leaves[Math.floor(leaves.length / 2)] ?? 0;
    const damaged = damagePages(path, middle - 1, 1);

    const recovered = openMemoryStore({ path, onCorrupt: 'recover' });
    expect(readFileSync(recovered.recovery?.movedTo ?? '').equals(damaged)).toBe(true);
    const saved = recovered.recovery?.salvaged;
    expect(saved?.conversations).toBeGreaterThan(20);
    expect(saved?.messages).toBeGreaterThan(40);
    expect(saved?.messages).toBeLessThan(80);
    const list = recovered.listConversations();
    expect(list).toHaveLength(saved?.conversations ?? -1);
    // What was saved reads back whole, and full-text search finds it.
    const kept = list.find((c) => /^conversation \d+$/.test(c.title));
    const detail = recovered.getConversation(kept?.id ?? '');
    expect(detail?.title).toBe(kept?.title);
    expect(recovered.search('answer').length).toBeGreaterThan(0);
    expect(recovered.recovery?.notice.message).toContain(
      `${saved?.conversations} conversations and ${saved?.messages} messages`,
    );
    recovered.close();
  });

  it('recoverMemoryDatabase, for the app, recovers only a damaged file', () => {
    const dir = tempDir();
    const healthy = join(dir, 'healthy.db');
    seedMany(healthy);
    expect(recoverMemoryDatabase(healthy)).toBeUndefined();
    expect(readdirSync(dir).filter((name) => name.includes('damaged'))).toEqual([]);

    const broken = join(dir, 'broken.db');
    writeFileSync(broken, 'garbage '.repeat(1000));
    const recovery = recoverMemoryDatabase(broken);
    expect(recovery?.salvaged).toEqual({ conversations: 0, messages: 0 });
    expect(readFileSync(recovery?.movedTo ?? '', 'utf8')).toBe('garbage '.repeat(1000));
    expect(openMemoryStore({ path: broken }).listConversations()).toEqual([]);
  });

  it('on recovery salvages the rows after a damaged first page of messages', () => {
    const path = join(tempDir(), 'ponder.db');
    seedMany(path);
    const probe = new Database(path, { readonly: true });
    const first = probe
      .prepare(
        `SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1`,
      )
      .pluck()
      .get() as number;
    probe.close();
    damagePages(path, first - 1, 1);
    const recovered = openMemoryStore({ path, onCorrupt: 'recover' });
    expect(recovered.recovery?.salvaged?.messages).toBeGreaterThan(60);
    recovered.close();
  });

  it('salvageInto copies every row of an undamaged file', () => {
    const dir = tempDir();
    const source = join(dir, 'old.db');
    seedMany(source);
    const store = openMemoryStore({ path: join(dir, 'new.db') });
    store.close();
    const target = new Database(join(dir, 'new.db'));
    expect(salvageInto(source, target)).toMatchObject({ conversations: 40, messages: 80, gaps: 0 });
    target.close();
  });
});
