import type { AppError } from './errors';
import type { GenerationStats, Source } from './messages';

/**
 * The one event stream an answer produces. The window, the quick-ask popup, the CLI's `--json`
 * and the HTTP API's SSE all carry exactly these objects.
 */
export type AnswerEvent =
  | { type: 'conversation'; id: string }
  | { type: 'search-started'; query: string; provider: string }
  | {
      type: 'search-results';
      count: number;
      provider: string;
      ms: number;
      /** Pages that were chosen but could not be read, each with why (their snippet stands in). */
      unread?: { url: string; reason: string }[];
      /** Pages read in full. */
      pagesRead?: number;
    }
  | { type: 'ranked'; ms: number; method: 'embedding+bm25' | 'bm25'; note?: string }
  | { type: 'sources'; sources: Source[] }
  | { type: 'notice'; text: string }
  /** The model is being loaded before the first answer; `progress` runs from 0 to 1. */
  | { type: 'model-loading'; progress: number }
  /** Thinking between `<start_working_out>` and `<end_working_out>`. */
  | { type: 'reasoning'; text: string }
  /** The answer between `<SOLUTION>` and `</SOLUTION>`. */
  | { type: 'solution'; text: string }
  /** Anything the model wrote outside those tags. */
  | { type: 'text'; text: string }
  | { type: 'done'; stats: GenerationStats }
  | { type: 'error'; error: AppError };

export type AnswerEventType = AnswerEvent['type'];
