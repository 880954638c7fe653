/**
 * Write throughput of the conversation store on this machine's disk: finished messages per second
 * (one durable transaction each, synchronous=FULL) and streaming-answer saves per second (one
 * commit per flush, as `StreamingMessageWriter` does every 250 ms). Also the full-text search time
 * over what was written. Median of several runs; writes bench/results/memory-write-<date>.json.
 *
 *   npx tsx bench/memory-write.ts [--messages 1000] [--updates 1000] [--runs 5] [--dir DIR]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openMemoryStore } from '../electron/core/memory';
import { round, summarize } from './stats';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    updates: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '5' },
    dir: { type: 'string' },
  },
});
const messages = Number(values.messages);
const updates = Number(values.updates);
const runs = Math.max(1, Number(values.runs));
const base = values.dir ?? tmpdir();
mkdirSync(base, { recursive: true });

const QUESTION = 'How do tides work, and why are there two high tides a day in most places?';
const ANSWER =
  'Tides come from the difference in the Moon’s pull across the Earth: the near side is pulled more ' +
  'than the centre, the centre more than the far side, so the oceans bulge on both sides. ';

function completeMessagesPerSecond(): { perSecond: number; searchMs: number } {
  const dir = mkdtempSync(join(base, 'ponder-bench-'));
  const store = openMemoryStore({ path: join(dir, 'ponder.db') });
  const conversation = store.createConversation();
  const start = performance.now();
  for (let i = 0; i < messages; i += 1) {
    store.addMessage({
      conversationId: conversation.id,
      role: i % 2 === 0 ? 'user' : 'assistant',
      text: i % 2 === 0 ? `${QUESTION} (${i})` : ANSWER.repeat(4),
    });
  }
  const seconds = (performance.now() - start) / 1000;
  const searchStart = performance.now();
  for (let i = 0; i < 20; i += 1) store.search('high tides moon');
  const searchMs = (performance.now() - searchStart) / 20;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: messages / seconds, searchMs };
}

function streamingSavesPerSecond(): { perSecond: number; finalChars: number } {
  const dir = mkdtempSync(join(base, 'ponder-bench-'));
  const store = openMemoryStore({ path: join(dir, 'ponder.db') });
  const conversation = store.createConversation();
  // flushIntervalMs 0: every append is committed, so this counts commits of a growing answer.
  const writer = store.startStreamingMessage(
    { conversationId: conversation.id, mode: 'reasoning', adapter: 'grpo', model: 'bench' },
    { flushIntervalMs: 0 },
  );
  const start = performance.now();
  for (let i = 0; i < updates; i += 1) writer.append({ reasoning: `token${i} ` });
  const seconds = (performance.now() - start) / 1000;
  writer.finish({ status: 'complete' });
  const finalChars = store.getMessage(writer.messageId)?.reasoning.length ?? 0;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: updates / seconds, finalChars };
}

const complete: number[] = [];
const search: number[] = [];
const streaming: number[] = [];
let finalChars = 0;
for (let run = 0; run < runs; run += 1) {
  const written = completeMessagesPerSecond();
  complete.push(written.perSecond);
  search.push(written.searchMs);
  const streamed = streamingSavesPerSecond();
  streaming.push(streamed.perSecond);
  finalChars = streamed.finalChars;
}

const probe = new Database(':memory:');
const result = {
  benchmark: 'memory-write',
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage1m: round(loadavg()[0] ?? 0),
    node: process.version,
    sqlite: probe.prepare('SELECT sqlite_version()').pluck().get(),
    dir: base,
  },
  settings: { journalMode: 'wal', synchronous: 'FULL', messages, updates, runs },
  completeMessagesPerSecond: summarize(complete),
  streamingSavesPerSecond: { ...summarize(streaming), answerCharsAtEnd: finalChars },
  searchMsOver: { messages, ...summarize(search) },
  note: 'One BEGIN IMMEDIATE transaction and one WAL fsync per message or save. A streamed answer is saved every 250 ms, i.e. 4 saves/s per answer.',
};
probe.close();
const outDir = join(root, 'bench/results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `memory-write-${result.date.slice(0, 10)}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
console.log(`wrote ${file}`);
