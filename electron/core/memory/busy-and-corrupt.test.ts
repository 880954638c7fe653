import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PonderError } from '../errors';
import { openMemoryStore } from './index';
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
  it('keeps a file that is not a database aside and starts a fresh store', () => {
    const dir = tempDir();
    const path = join(dir, 'ponder.db');
    writeFileSync(path, 'these bytes were never a SQLite database '.repeat(200));
    const store = openMemoryStore({ path });

    const recovery = store.recovery;
    expect(recovery?.code).toBe('db-corrupt');
    expect(recovery?.movedTo).toMatch(/ponder\.db\.corrupt-/);
    expect(readFileSync(recovery?.movedTo ?? '', 'utf8')).toMatch(/^these bytes were never/);
    expect(recovery?.notice).toEqual({
      code: 'db-corrupt',
      message: `Your conversation database was damaged; it was kept at ${recovery?.movedTo} and a new one was started.`,
      hint: expect.any(String),
    });
    const conversation = store.createConversation({ title: 'fresh start' });
    expect(store.listConversations().map((c) => c.id)).toEqual([conversation.id]);
    store.close();
    expect(openMemoryStore({ path }).recovery).toBeUndefined();
  });

  it('detects damaged pages with quick_check and keeps the file byte for byte', () => {
    const path = join(tempDir(), 'ponder.db');
    const store = openMemoryStore({ path });
    for (let i = 0; i < 40; i += 1) {
      const conversation = store.createConversation();
      store.addMessage({
        conversationId: conversation.id,
        role: 'user',
        text: `question ${i} `.repeat(60),
      });
    }
    store.close();
    const pageSize = 4096;
    expect(statSync(path).size).toBeGreaterThan(pageSize * 8);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(pageSize * 3, 0xa5), 0, pageSize * 3, pageSize * 3);
    closeSync(fd);
    const damaged = readFileSync(path);

    const recovered = openMemoryStore({ path });
    expect(recovered.recovery?.code).toBe('db-corrupt');
    expect(readFileSync(recovered.recovery?.movedTo ?? '').equals(damaged)).toBe(true);
    expect(recovered.listConversations()).toEqual([]);
    recovered.close();
  });

  it('throws db-corrupt and moves nothing when asked not to recover', () => {
    const path = join(tempDir(), 'ponder.db');
    writeFileSync(path, 'garbage '.repeat(1000));
    expect(() => openMemoryStore({ path, onCorrupt: 'fail' })).toThrow(
      expect.objectContaining({ code: 'db-corrupt' }),
    );
    expect(existsSync(path)).toBe(true);
  });
});
