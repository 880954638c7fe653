import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openMemoryStore } from '../open-memory-store';

/**
 * Writes a history of `count` conversations (titled by `title`), then overwrites one leaf page in
 * the middle of its messages: the file a failing disk leaves behind. Returns its bytes.
 */
export function writeDamagedHistory(
  path: string,
  { count = 40, title = (i: number) => `conversation ${i}` } = {},
): Buffer {
  const store = openMemoryStore({ path });
  for (let i = 0; i < count; i += 1) {
    const { id } = store.createConversation({ title: title(i) });
    store.addMessage({ conversationId: id, role: 'user', text: `question ${i} `.repeat(60) });
    store.addMessage({ conversationId: id, role: 'assistant', text: `answer ${i} `.repeat(60) });
  }
  store.close();
  const probe = new Database(path, { readonly: true });
  const leaves = probe
    .prepare(`SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf'`)
    .pluck()
    .all() as number[];
  probe.close();
  const page = (leaves[Math.floor(leaves.length / 2)] ?? 2) - 1;
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * page);
  closeSync(fd);
  return readFileSync(path);
}
