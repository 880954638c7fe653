/**
 * Child process of the crash test: writes conversations and streamed answers into one database as
 * fast as it can and prints a JSON line after each commit. Whatever it printed was acknowledged and
 * must survive `kill -9`. Usage: node --import tsx crash-writer.ts DB_PATH FLUSH_MS
 */
import { writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openMemoryStore } from '../index';
import { chunkOf } from './crash-content';

const [path, flushArg] = process.argv.slice(2);
if (!path) throw new Error('usage: crash-writer.ts DB_PATH FLUSH_MS');
const flushIntervalMs = Number(flushArg ?? 20);

// Synchronous on a pipe, so a printed line always reaches the parent before a kill.
const print = (line: object) => writeSync(1, `${JSON.stringify(line)}\n`);

const store = openMemoryStore({ path });
print({ type: 'open', interrupted: store.interruptedAtOpen });

for (let n = 0; ; n += 1) {
  const conversation = store.createConversation();
  print({ type: 'conversation', id: conversation.id });
  const question = store.addMessage({
    conversationId: conversation.id,
    role: 'user',
    text: `question ${n} ${'q'.repeat(n % 50)}`,
  });
  print({ type: 'message', id: question.id, text: question.text.length });
  let messageId = '';
  const writer = store.startStreamingMessage(
    { conversationId: conversation.id, mode: 'reasoning', adapter: 'grpo', model: 'crash-test' },
    {
      flushIntervalMs,
      onFlush: (ack) => print({ type: 'ack', id: messageId, ...ack }),
    },
  );
  messageId = writer.messageId;
  print({ type: 'message', id: messageId, text: 0 });
  for (let i = 0; i < 30; i += 1) {
    writer.append({ reasoning: chunkOf('reasoning', i), solution: chunkOf('solution', i) });
    if (i % 3 === 0) await sleep(1);
  }
  writer.finish({ status: 'complete', stats: { completionTokens: 60 } });
  print({ type: 'done', id: messageId });
}
