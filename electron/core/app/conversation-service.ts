import type { ConversationDetail, ConversationSummary, StoredMessage } from '../../shared';
import { PonderError } from '../errors';
import type { MemoryStore, MessageRecord } from '../memory';
import type { PonderCore } from './ponder-core-types';

/** The store's records in the shape every front end shows (electron/shared/api.ts). */
export function createConversationService(
  store: MemoryStore | undefined,
): PonderCore['conversations'] {
  const requireStore = (): MemoryStore => {
    if (store) return store;
    throw new PonderError('not-found', 'Conversation history is turned off.', {
      hint: 'Start Ponder without --no-history to keep conversations.',
    });
  };

  return {
    list() {
      const memory = requireStore();
      const modes = memory.latestQuestionModes();
      return memory.listConversations().map((record) => {
        const mode = modes.get(record.id);
        return { ...toSummary(record), ...(mode ? { mode } : {}) };
      });
    },
    get(id) {
      const memory = requireStore();
      const conversation = memory.getConversation(id);
      if (!conversation) {
        throw new PonderError('not-found', `No conversation with id ${id}.`);
      }
      const detail: ConversationDetail = {
        ...toSummary(conversation),
        messages: memory.listMessages(id).map(toStoredMessage),
      };
      return detail;
    },
    search: (query) =>
      requireStore()
        .search(query)
        .map((hit) => ({
          conversationId: hit.conversationId,
          messageId: hit.messageId,
          title: hit.conversationTitle,
          snippet: hit.parts,
        })),
    update(id, patch) {
      const memory = requireStore();
      if (patch.title !== undefined) memory.renameConversation(id, patch.title);
      if (patch.pinned !== undefined) memory.setPinned(id, patch.pinned);
    },
    delete: (id) => requireStore().deleteConversation(id),
    updateMessage(id, patch) {
      const memory = requireStore();
      if (patch.rating !== undefined) memory.setRating(id, patch.rating);
      if (patch.shown) memory.selectAnswerVersion(id);
    },
    deleteAll: () => void requireStore().deleteAllConversations(),
    export(id, format) {
      const memory = requireStore();
      const ids = id === 'all' ? undefined : [id];
      if (ids) this.get(ids[0] as string);
      return format === 'md'
        ? memory.exportMarkdown(ids)
        : `${JSON.stringify(memory.exportJson(ids), null, 2)}\n`;
    },
    async import(json) {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch {
        throw new PonderError('invalid-input', 'The file is not JSON.', {
          hint: 'Import a file written by "Export as JSON".',
        });
      }
      const result = await requireStore().importJson(data);
      return { imported: result.imported.length, skipped: result.skipped.length };
    },
  };
}

function toSummary(record: {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  pinned: boolean;
}): ConversationSummary {
  return {
    id: record.id,
    title: record.title,
    created: record.createdAt,
    updated: record.updatedAt,
    pinned: record.pinned,
  };
}

function toStoredMessage(record: MessageRecord): StoredMessage {
  const stats = Object.fromEntries(
    Object.entries(record.stats).filter(([, value]) => value !== null),
  ) as StoredMessage['stats'];
  return {
    id: record.id,
    conversationId: record.conversationId,
    role: record.role,
    mode: record.mode ?? 'chat',
    text: record.text,
    reasoning: record.reasoning,
    solution: record.solution,
    sources: record.sources ?? [],
    status: record.status,
    ...(stats && Object.keys(stats).length > 0 ? { stats } : {}),
    ...(record.error ? { error: record.error } : {}),
    created: record.createdAt,
    ...(record.rating ? { rating: record.rating } : {}),
    ...(record.versionOf ? { versionOf: record.versionOf } : {}),
    ...(record.superseded ? { superseded: true } : {}),
  };
}
