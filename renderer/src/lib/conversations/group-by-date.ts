import type { ConversationSummary } from '../../../../electron/shared';

export interface ConversationGroup {
  label: string;
  conversations: ConversationSummary[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(ms: number): number {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** The heading a conversation last active at `updated` goes under, seen from `now`. */
export function dateGroupLabel(updated: number, now: number): string {
  const today = startOfDay(now);
  if (updated >= today) return 'Today';
  if (updated >= today - DAY_MS) return 'Yesterday';
  if (updated >= today - 7 * DAY_MS) return 'Previous 7 days';
  if (updated >= today - 30 * DAY_MS) return 'Previous 30 days';
  const date = new Date(updated);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(undefined, {
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

/**
 * Pinned conversations first, then the rest under date headings, in the order given (the list
 * arrives newest first).
 */
export function groupByDate(
  conversations: readonly ConversationSummary[],
  now: number,
): ConversationGroup[] {
  const groups: ConversationGroup[] = [];
  const pinned = conversations.filter((c) => c.pinned);
  if (pinned.length > 0) groups.push({ label: 'Pinned', conversations: pinned });
  for (const conversation of conversations) {
    if (conversation.pinned) continue;
    const label = dateGroupLabel(conversation.updated, now);
    const last = groups.at(-1);
    if (last && last.label === label) last.conversations.push(conversation);
    else groups.push({ label, conversations: [conversation] });
  }
  return groups;
}

/**
 * Ids of conversations whose title another one also has: the list shows when each was started, so
 * they can be told apart.
 */
export function sharedTitles(conversations: readonly ConversationSummary[]): Set<string> {
  const seen = new Map<string, number>();
  for (const c of conversations) seen.set(c.title, (seen.get(c.title) ?? 0) + 1);
  return new Set(conversations.filter((c) => (seen.get(c.title) ?? 0) > 1).map((c) => c.id));
}
