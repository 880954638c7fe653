import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openMemoryStore } from './index';
import { expectedText } from './test-support/crash-content';
import { exited, removeBundles, runChild, waitForLine } from './test-support/run-child';

/** SECURITY #18: `kill -9` at random moments never corrupts the file or loses an acknowledged write. */
const KILLS = 50;

interface Acknowledged {
  conversations: Set<string>;
  messages: Set<string>;
  acked: Map<string, { reasoning: number; solution: number }>;
  done: Set<string>;
}

function record(lines: string[], into: Acknowledged): void {
  for (const line of lines) {
    const event = JSON.parse(line) as {
      type: string;
      id: string;
      reasoning: number;
      solution: number;
    };
    if (event.type === 'conversation') into.conversations.add(event.id);
    if (event.type === 'message') into.messages.add(event.id);
    if (event.type === 'done') into.done.add(event.id);
    if (event.type === 'ack') {
      into.acked.set(event.id, { reasoning: event.reasoning, solution: event.solution });
    }
  }
}

function verify(path: string, seen: Acknowledged): void {
  const db = new Database(path);
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    // The full-text index must agree with the messages it indexes.
    db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run();
    const conversation = db.prepare('SELECT id FROM conversations WHERE id = ?');
    for (const id of seen.conversations) expect(conversation.get(id), id).toBeDefined();
    const message = db.prepare<[string], { reasoning: string; solution: string; status: string }>(
      'SELECT reasoning, solution, status FROM messages WHERE id = ?',
    );
    for (const id of seen.messages) expect(message.get(id), id).toBeDefined();
    const fullReasoning = expectedText('reasoning');
    const fullSolution = expectedText('solution');
    for (const [id, ack] of seen.acked) {
      const row = message.get(id);
      if (!row) throw new Error(`acknowledged answer ${id} is gone`);
      expect(row.reasoning.length).toBeGreaterThanOrEqual(ack.reasoning);
      expect(row.solution.length).toBeGreaterThanOrEqual(ack.solution);
      expect(fullReasoning.startsWith(row.reasoning)).toBe(true);
      expect(fullSolution.startsWith(row.solution)).toBe(true);
    }
    for (const id of seen.done) {
      expect(message.get(id)).toMatchObject({
        status: 'complete',
        reasoning: fullReasoning,
        solution: fullSolution,
      });
    }
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ponder-crash-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    removeBundles();
  });

  it(`keeps every acknowledged write through ${KILLS} kill -9s`, async () => {
    const path = join(dir, 'ponder.db');
    const seen: Acknowledged = {
      conversations: new Set(),
      messages: new Set(),
      acked: new Map(),
      done: new Set(),
    };
    let interruptedByRestarts = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const child = runChild('crash-writer.ts', [path, '15']);
      let output = '';
      child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
      const opened = JSON.parse(await waitForLine(child, /"type":"open"/)) as {
        interrupted: number;
      };
      interruptedByRestarts += opened.interrupted;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 250));
      child.kill('SIGKILL');
      await exited(child);
      expect(child.signalCode).toBe('SIGKILL');
      // A line cut by the kill was never acknowledged.
      record(output.split('\n').slice(0, -1), seen);
      verify(path, seen);
    }

    // Kills landed both between answers and in the middle of them.
    expect(seen.done.size).toBeGreaterThan(0);
    expect(interruptedByRestarts).toBeGreaterThan(0);
    const store = openMemoryStore({ path });
    try {
      const streaming = store
        .listConversations()
        .flatMap((c) => store.listMessages(c.id))
        .filter((m) => m.status === 'streaming');
      expect(streaming).toEqual([]);
      for (const id of seen.messages) {
        const message = store.getMessage(id);
        if (message?.role === 'assistant' && !seen.done.has(id)) {
          // Killed before its finish committed (interrupted), or between the commit and the line.
          if (message.status === 'complete') {
            expect(message.solution).toBe(expectedText('solution'));
          } else {
            expect(message.status).toBe('interrupted');
          }
        }
      }
    } finally {
      store.close();
    }
  }, 300_000);
});
