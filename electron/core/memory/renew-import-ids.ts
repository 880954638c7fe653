import { randomUUID } from 'node:crypto';
import { isUsableId } from './conversation-id';
import type { ParsedExport } from './import-schema';

export interface RenamedConversation {
  /** The id in the file, which the API could not open or delete. */
  from: string;
  to: string;
  title: string;
}

/**
 * Gives conversations and messages whose ids the API would refuse (`../../etc/passwd`, spaces,
 * control characters, over 128 characters) new ids, in place, keeping every link between them.
 * @returns the conversations that were given a new id, so the person can be told.
 */
export function renewUnusableIds(data: ParsedExport): RenamedConversation[] {
  const renamed: RenamedConversation[] = [];
  const messageIds = new Map<string, string>();
  for (const conversation of data.conversations) {
    for (const message of conversation.messages) {
      if (!isUsableId(message.id)) messageIds.set(message.id, randomUUID());
    }
  }
  for (const conversation of data.conversations) {
    if (!isUsableId(conversation.id)) {
      const to = randomUUID();
      renamed.push({ from: conversation.id, to, title: conversation.title });
      conversation.id = to;
    }
    for (const message of conversation.messages) {
      message.id = messageIds.get(message.id) ?? message.id;
      const versionOf = (message as { versionOf?: string }).versionOf;
      if (versionOf !== undefined && messageIds.has(versionOf)) {
        (message as { versionOf?: string }).versionOf = messageIds.get(versionOf);
      }
    }
  }
  return renamed;
}
