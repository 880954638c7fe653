import type { StoredMessage } from '../../../../electron/shared';
import type { UiMessage } from './ui-message';

/** The group an answer's versions share: the first version's id. */
export const versionGroup = (message: UiMessage): string => message.versionOf ?? message.id;

/** What the conversation shows: every message but the versions another one replaced. */
export function visibleMessages(messages: readonly UiMessage[]): UiMessage[] {
  return messages.filter((message) => !message.superseded);
}

/** All versions of an answer, oldest first (one, for an answer never regenerated). */
export function versionsOf(messages: readonly UiMessage[], answer: UiMessage): UiMessage[] {
  const group = versionGroup(answer);
  return messages.filter((m) => m.role === 'assistant' && versionGroup(m) === group);
}

/**
 * Gives messages streamed in this window the ids and version links the server stored, so they can
 * be rated and switched. Only when both lists hold the same messages; otherwise nothing changes.
 */
export function adoptStoredIds(messages: UiMessage[], stored: readonly StoredMessage[]): void {
  const kept = stored.filter((m) => m.role !== 'system');
  if (kept.length !== messages.length) return;
  if (kept.some((m, i) => (m.role === 'user') !== (messages[i]?.role === 'user'))) return;
  kept.forEach((storedMessage, index) => {
    const message = messages[index];
    if (!message) return;
    message.id = storedMessage.id;
    if (storedMessage.versionOf) message.versionOf = storedMessage.versionOf;
    message.superseded = storedMessage.superseded === true;
  });
}
