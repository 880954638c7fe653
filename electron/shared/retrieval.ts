import type { Source } from './messages';

/** What Search would read for a question, without asking the model: `ponder search`, `POST /api/search`. */
export interface RetrievalReport {
  question: string;
  provider: string;
  /** Results the search provider returned. */
  resultCount: number;
  /** Pages read in full. */
  pagesRead: number;
  /** Pages chosen but not read, each with why (their snippet stands in). */
  unread: { url: string; reason: string }[];
  method: 'cross-encoder+embedding+bm25' | 'embedding+bm25' | 'bm25';
  /** Why a ranking stage was skipped. */
  note?: string;
  /** The numbered sources, each with the passages the model would be given. */
  sources: Source[];
  /** Question to sources, in milliseconds. */
  ms: number;
}

export interface RetrievalOptions {
  /** Sources to return (default the setting, 5). */
  topK?: number;
}
