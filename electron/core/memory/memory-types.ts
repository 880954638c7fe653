import type { AppError, MessageStatus, Mode, Role, Source } from '../../shared';

/** A conversation as listed in the sidebar and the CLI. */
export interface ConversationRecord {
  id: string;
  title: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
  pinned: boolean;
}

export interface ConversationSummary extends ConversationRecord {
  messageCount: number;
}

/** Speed and size of one generated answer, as shown under it. */
export interface MessageStats {
  promptTokens: number | null;
  completionTokens: number | null;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  totalMs: number | null;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  role: Role;
  mode: Mode | null;
  /** `sft`, `grpo` or `base` for answers; null for the person's messages. */
  adapter: string | null;
  model: string | null;
  /** What the model wrote outside the reasoning tags (or the person's message). */
  text: string;
  /** The hidden thinking of Deep Reasoning. */
  reasoning: string;
  /** The answer between the solution tags. */
  solution: string;
  sources: Source[] | null;
  stats: MessageStats;
  status: MessageStatus;
  error: AppError | null;
  createdAt: number;
  updatedAt: number;
  /** The person's rating of an answer: 1 thumbs up, -1 thumbs down; absent when unrated. */
  rating?: MessageRating;
  /** For a regenerated answer: the id of the first version of the same answer. */
  versionOf?: string;
  /** True when another version of the same answer is the one shown and fed back to the model. */
  superseded?: boolean;
}

export type MessageRating = 1 | -1;

/** What a caller gives to save one finished message. */
export interface NewMessage {
  conversationId: string;
  role: Role;
  text: string;
  mode?: Mode | null;
  adapter?: string | null;
  model?: string | null;
  reasoning?: string;
  solution?: string;
  sources?: Source[] | null;
  stats?: Partial<MessageStats>;
  /** @default 'complete' */
  status?: MessageStatus;
  error?: AppError | null;
  /** Kept as given when importing; otherwise a new UUID. */
  id?: string;
  createdAt?: number;
  updatedAt?: number;
}

/** The three growing parts of an answer. */
export type AnswerPart = 'text' | 'reasoning' | 'solution';

export type PartLengths = Record<AnswerPart, number>;

/** Set when the database file was damaged at open and Ponder started a fresh one. */
export interface StoreRecovery {
  code: 'db-corrupt';
  /** Where the damaged file now lives; it is never deleted. */
  movedTo: string;
  /** What SQLite said about it. */
  reason: string;
  /** What was copied from it into the new database. */
  salvaged?: { conversations: number; messages: number };
  /** Ready to show a person. */
  notice: AppError;
}

export interface SearchHit {
  messageId: string;
  conversationId: string;
  conversationTitle: string;
  role: Role;
  /** Which part matched best. */
  snippet: string;
  /** The snippet split into plain and matched pieces, so a UI never has to parse markup. */
  parts: { text: string; match: boolean }[];
  /** bm25 score: lower is better. */
  rank: number;
  createdAt: number;
}
