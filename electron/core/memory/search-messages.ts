import type { Role } from '../../shared';
import type { SearchHit } from './memory-types';
import type { StoreContext } from './store-context';

export interface SearchOptions {
  /** @default 20 */
  limit?: number;
  /** Search one conversation only. */
  conversationId?: string;
}

// Private-use characters mark matches inside snippet(); they never come from a tokenizer match.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const WORD = /[\p{L}\p{N}]/u;

/**
 * Turns whatever a person typed into an FTS5 query that cannot fail: every word becomes a quoted
 * phrase (so `"`, `-`, `:`, `(`, `OR`, `NEAR` are plain text) and all words must match. A trailing
 * `*` keeps its meaning of "starts with". Returns undefined when nothing searchable is left.
 */
export function toFtsQuery(input: string): string | undefined {
  const terms: string[] = [];
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  for (const word of input.replace(/[\u0000-\u001f\u007f]/g, ' ').split(/\s+/)) {
    const prefix = /[^*]\*+$/.test(word);
    const core = word.replace(/\*+$/, '');
    if (!WORD.test(core)) continue;
    terms.push(`"${core.replace(/"/g, '""')}"${prefix ? '*' : ''}`);
  }
  return terms.length > 0 ? terms.join(' ') : undefined;
}

/** Splits a marked snippet into plain and matched pieces. */
export function snippetParts(marked: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = [];
  let match = false;
  let text = '';
  for (const char of marked) {
    if (char === OPEN || char === CLOSE) {
      if (text) parts.push({ text, match });
      text = '';
      match = char === OPEN;
    } else {
      text += char;
    }
  }
  if (text) parts.push({ text, match });
  return parts;
}

interface HitRow {
  id: string;
  conversation_id: string;
  title: string;
  role: Role;
  created: number;
  snippet: string;
  rank: number;
}

/**
 * Full-text search over questions, answers and reasoning, best first (bm25; a match in the
 * reasoning counts half as much as one in the question or answer).
 */
export function searchMessages(
  ctx: StoreContext,
  query: string,
  options: SearchOptions = {},
): SearchHit[] {
  const match = toFtsQuery(query);
  if (match === undefined) return [];
  const limit = Math.max(1, Math.min(options.limit ?? 20, 500));
  const rows = ctx.db
    .prepare<(string | number)[], HitRow>(
      `SELECT m.id, m.conversation_id, c.title, m.role, m.created,
         snippet(messages_fts, -1, ?, ?, '…', 16) AS snippet,
         bm25(messages_fts, 1.0, 0.5, 1.0) AS rank
       FROM messages_fts
       JOIN messages m ON m.seq = messages_fts.rowid
       JOIN conversations c ON c.id = m.conversation_id
       WHERE messages_fts MATCH ? ${options.conversationId ? 'AND m.conversation_id = ?' : ''}
       ORDER BY rank, m.seq DESC
       LIMIT ?`,
    )
    .all(OPEN, CLOSE, match, ...(options.conversationId ? [options.conversationId] : []), limit);
  return rows.map((row) => {
    const parts = snippetParts(row.snippet);
    return {
      messageId: row.id,
      conversationId: row.conversation_id,
      conversationTitle: row.title,
      role: row.role,
      snippet: parts.map((part) => (part.match ? `**${part.text}**` : part.text)).join(''),
      parts,
      rank: row.rank,
      createdAt: row.created,
    };
  });
}
