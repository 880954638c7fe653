import type { AppError } from './errors';
import type { GenerationStats, Source } from './messages';
import type { RouteChoice } from './modes';

/** One step of a Deep Search or of Auto's choice, shown as a line of the research timeline. */
export interface ResearchStep {
  kind: 'route' | 'plan' | 'search' | 'analysis' | 'self-search' | 'conclusion' | 'stopped';
  /** The line a person reads, e.g. "Searched “who wrote Alpha”: 4 sources". */
  text: string;
  /** Which round of the loop (1-based); absent for steps outside the rounds. */
  round?: number;
  /** The query sent, for `search` and `self-search`. */
  query?: string;
  /** Sources found by a search, sub-questions planned, follow-ups asked. */
  count?: number;
  /** How long the step took. */
  ms?: number;
  /** For `analysis`: what the sources now establish, as the model wrote it, with [n] citations. */
  known?: string;
  /** For `route`: what Auto picked and whether a rule, the model or the default decided. */
  choice?: RouteChoice;
  by?: 'rules' | 'model' | 'default';
}

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
  | {
      type: 'ranked';
      ms: number;
      method: 'cross-encoder+embedding+bm25' | 'embedding+bm25' | 'bm25';
      note?: string;
    }
  | { type: 'sources'; sources: Source[] }
  /** A step of Deep Search or Auto for the research timeline. */
  | { type: 'step'; step: ResearchStep }
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
