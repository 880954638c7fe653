import type { Engine } from '../llm/engine-types';
import type {
  AnswerEvent,
  ChatMessage,
  GenerationStats,
  MessageStatus,
  Mode,
  RetrievalOptions,
  Source,
  AppError,
} from '../../shared';

/**
 * What the orchestrator needs from conversation memory. The SQLite store implements it
 * (electron/core/memory); a request without memory simply has no history.
 */
export interface ConversationMemory {
  /**
   * Opens the conversation (a new one when `conversationId` is absent or 'new'), records the user's
   * question (unless `regenerate`, which drops the last answer and reuses the last question), and
   * starts an assistant message in status `streaming`. It is called before the model loads, so a
   * question whose model cannot load stays in the conversation with its error; `describe` then says
   * which adapter and model answer.
   */
  startTurn(input: {
    conversationId?: string;
    mode: Mode;
    question: string;
    regenerate?: boolean;
    adapter?: string;
    model?: string;
  }): Promise<TurnHandle>;
}

export interface TurnHandle {
  conversationId: string;
  assistantMessageId: string;
  /** The question actually asked (for regenerate: the stored last question). */
  question: string;
  /**
   * Earlier turns, oldest first, excluding the question just recorded: at most `maxTurns` turns,
   * trimmed oldest-first until `countTokens` of their texts fits `maxTokens`.
   */
  history(options: {
    maxTurns: number;
    maxTokens: number;
    countTokens: (text: string) => Promise<number>;
  }): Promise<ChatMessage[]>;
  /**
   * Records what answers, once the model is loaded: its mode (Auto may have chosen another one than
   * the question was saved with), adapter and model.
   */
  describe(answer: { mode: Mode; adapter: string; model: string }): void;
  /** Saves the answer as it grows; the store batches writes (about every 250 ms). */
  append(part: { reasoning?: string; solution?: string; text?: string }): void;
  setSources(sources: Source[]): void;
  /** Flushes and closes the message with its final status. */
  finish(outcome: {
    status: MessageStatus;
    stats?: GenerationStats;
    error?: AppError;
    /** The cleaned final text, replacing what was streamed (Search drops links that are not sources). */
    final?: { solution?: string; text?: string };
  }): Promise<void>;
}

/** The Search pipeline as the orchestrator sees it (electron/core/rag implements it). */
export interface SearchPort {
  /**
   * Searches, reads, ranks; yields `search-started`, `search-results`, `ranked` and `sources` events,
   * and returns the system prompt that carries the numbered, fenced sources.
   */
  run(
    query: string,
    signal?: AbortSignal,
    options?: RetrievalOptions,
  ): AsyncGenerator<AnswerEvent, { sources: Source[]; systemPrompt: string }>;
  /** Cleans the final answer: drops citations to missing sources and links that are not sources. */
  postProcess?(answer: string, sources: Source[]): string;
  dispose(): Promise<void>;
}

/**
 * Loads the model, or returns it when already loaded. While it loads, `onLoadProgress` is told how
 * far it got (0 to 1), so the first answer can show progress instead of a silent wait.
 */
export type EngineLoader = (onLoadProgress?: (progress: number) => void) => Promise<Engine>;
