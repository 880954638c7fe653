import type { Mode } from './modes';

export type Role = 'system' | 'user' | 'assistant';

/** One turn as the model sees it. */
export interface ChatMessage {
  role: Role;
  text: string;
}

/** A passage of a source page, exactly as it was given to the model. */
export interface SourcePassage {
  text: string;
  /** Where it sits in the page: "Page › Section › Subsection" (empty when the page has no headings). */
  section: string;
  /** Character offset of the passage in the page's extracted text; -1 for a search snippet. */
  offset: number;
  /**
   * Where ranking put it among every passage this search chose, from all sources (0 = best);
   * passages added only as a neighbour of a chosen one come after all the ranked ones.
   */
  rank?: number;
}

/** A numbered source shown under a Search answer and cited as `[n]` in it. */
export interface Source {
  n: number;
  title: string;
  url: string;
  domain: string;
  snippet: string;
  score: number;
  provider: string;
  /** The passages the model was given from this source, in page order. */
  passages?: SourcePassage[];
}

export type MessageStatus = 'streaming' | 'complete' | 'cancelled' | 'error' | 'interrupted';

export interface GenerationStats {
  promptTokens: number;
  completionTokens: number;
  /** Milliseconds from the request to the first generated token. */
  timeToFirstTokenMs: number;
  tokensPerSecond: number;
  totalMs: number;
  stopReason: 'eos' | 'max-tokens' | 'cancelled' | 'stop-string';
  mode: Mode;
  /** The adapter the answer ran with: `sft`, `grpo` or `base`. */
  adapter: string;
}
