import type {
  AnswerEvent,
  CatalogEntry,
  ConversationDetail,
  ConversationSearchHit,
  ConversationSummary,
  DownloadProgress,
  HealthInfo,
  MessagePatch,
  PonderSettings,
  RetrievalOptions,
  RetrievalReport,
} from '../../shared';
import type { AgentRequest } from '../agent';
import type { ConfigFlags, ResolvedConfig } from '../config';

/**
 * Everything a front end needs, in plain Node: the Electron main process, `ponder serve` and the CLI
 * each wrap one PonderCore in their own transport (IPC, HTTP + SSE, a terminal).
 * Methods throw PonderError; transports turn that into an AppError for the other side.
 */
export interface PonderCore {
  readonly config: ResolvedConfig;
  /**
   * Set when a damaged conversation database was recovered at start: where the damaged file is kept
   * and a sentence saying what was saved (also among health()'s notices).
   */
  readonly databaseRecovery: { movedTo: string; message: string } | undefined;
  health(): Promise<HealthInfo>;
  /**
   * Checks the configured model and adapters as loading does (their GGUF headers, and each adapter
   * against the base), then starts loading in the background. Rejects with the base model's
   * problem (`model-missing`, `model-invalid`), so `ponder serve` fails at once on a bad --model;
   * an unusable adapter only shows in `health()`. Resolves at once when no model is configured.
   */
  checkModel(): Promise<void>;
  /** One answer; loads the model on first use. Never throws: failures are `error` events. */
  ask(request: AgentRequest): AsyncGenerator<AnswerEvent>;
  /** What Search would read for a question, without the model (`ponder search`, `POST /api/search`). */
  retrieve(
    question: string,
    options?: RetrievalOptions,
    signal?: AbortSignal,
  ): Promise<RetrievalReport>;
  conversations: {
    list(): ConversationSummary[];
    get(id: string): ConversationDetail;
    search(query: string): ConversationSearchHit[];
    update(id: string, patch: { title?: string; pinned?: boolean }): void;
    delete(id: string): void;
    deleteAll(): void;
    /** Rates an answer or shows one version of it (messages.rating, message-versions). */
    updateMessage(id: string, patch: MessagePatch): void;
    export(id: string | 'all', format: 'md' | 'json'): string;
    import(json: string): Promise<{ imported: number; skipped: number }>;
  };
  settings: {
    get(): PonderSettings;
    /** Validates and saves; a change of model, adapters, threads, GPU layers or context reloads the engine on next use. */
    update(patch: unknown): PonderSettings;
  };
  models: {
    catalog(): Promise<CatalogEntry[]>;
    download(
      id: string,
      onProgress: (progress: DownloadProgress) => void,
      signal?: AbortSignal,
    ): Promise<string>;
  };
  /** Frees the model, the database and the search pipeline, in reverse order of creation. */
  dispose(): Promise<void>;
}

export interface PonderCoreOptions {
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
  /** Keep conversations in SQLite. @default true */
  memory?: boolean;
}
