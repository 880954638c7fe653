import { MODE_LABEL } from '../../shared';
import type { ConversationExport, ExportedConversation, ExportedMessage } from './export-json';

function speaker(message: ExportedMessage): string {
  if (message.role === 'user') return 'You';
  if (message.role === 'system') return 'System';
  return message.mode ? `Ponder (${MODE_LABEL[message.mode]})` : 'Ponder';
}

const STATUS_NOTE: Partial<Record<ExportedMessage['status'], string>> = {
  streaming: '_(still being written when exported)_',
  cancelled: '_(stopped before the end)_',
  interrupted: '_(interrupted: Ponder closed while writing this answer)_',
  error: '_(failed)_',
};

function messageMarkdown(message: ExportedMessage): string {
  const lines = [`## ${speaker(message)}`, '', `<sub>${message.createdAt}</sub>`, ''];
  if (message.reasoning.trim()) {
    lines.push(
      '<details><summary>Reasoning</summary>',
      '',
      message.reasoning.trim(),
      '',
      '</details>',
      '',
    );
  }
  const body = [message.solution.trim(), message.text.trim()].filter(Boolean);
  if (message.role !== 'assistant') body.splice(0, body.length, message.text.trim());
  lines.push(...body.flatMap((part) => [part, '']));
  const note = STATUS_NOTE[message.status];
  if (note) lines.push(note, '');
  if (message.error) lines.push(`> Error: ${message.error.message}`, '');
  if (message.sources && message.sources.length > 0) {
    lines.push('Sources:', '');
    for (const source of message.sources) {
      // Brackets in a title and spaces in a URL would otherwise break the link.
      const title = source.title.replace(/[[\]]/g, '\\$&');
      lines.push(`${source.n}. [${title}](<${source.url.replace(/[<>]/g, encodeURIComponent)}>)`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function conversationMarkdown(conversation: ExportedConversation): string {
  const title = conversation.title || 'Untitled conversation';
  const meta = `Started ${conversation.createdAt}, last updated ${conversation.updatedAt}${conversation.pinned ? ', pinned' : ''}. Id: \`${conversation.id}\``;
  return [`# ${title}`, '', meta, '', ...conversation.messages.map(messageMarkdown)].join('\n');
}

/** A readable transcript; the reasoning is folded away in `<details>` as in the app. */
export function exportMarkdown(data: ConversationExport): string {
  return `${data.conversations.map(conversationMarkdown).join('\n---\n\n').trimEnd()}\n`;
}
